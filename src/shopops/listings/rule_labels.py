"""What the listing audit's codes are called in words (docs/rules/listings.md#problems): each rule, score component
and severity by its name, said in the user's language by the faces (``core.i18n.say``). Pure: no Django."""

from __future__ import annotations

from collections.abc import Mapping

from shopops.core.text import Text, gettext_noop

RULE_LABELS: Mapping[str, Text] = {
    "title_length": gettext_noop("Title too long"),  # 标题超长
    "title_short": gettext_noop("Title too short"),  # 标题过短
    "forbidden_character": gettext_noop("Forbidden character"),  # 违禁字符
    "emoji": gettext_noop("Emoji in the title"),  # 表情符号
    "repeated_word": gettext_noop("Repeated word"),  # 重复词
    "backend_terms_length": gettext_noop("Backend search terms too long"),  # 后台搜索词超长
    "ad_law": gettext_noop("Advertising Law word"),  # 广告法极限词
    "rival_brand": gettext_noop("Another brand's name"),  # 他人品牌词
    "required_attribute": gettext_noop("Missing required attribute"),  # 必填属性缺失
    "main_images": gettext_noop("Main images"),  # 主图
    "media_unknown": gettext_noop("Media not imported"),  # 未导入图片信息
    "white_image": gettext_noop("No white-background image"),  # 缺白底图
    "video": gettext_noop("No main video"),  # 缺主图视频
    "detail_sections": gettext_noop("Too few detail sections"),  # 详情页模块不足
    "image_size": gettext_noop("Image too small"),  # 图片尺寸不足
    "image_ratio": gettext_noop("Image not square"),  # 图片比例
    "image_bytes": gettext_noop("Image file too large"),  # 图片过大
    "white_background": gettext_noop("Background not white"),  # 背景不是白色
}

COMPONENT_LABELS: Mapping[str, Text] = {
    "title": gettext_noop("Title"),  # 标题
    "compliance": gettext_noop("Compliance"),  # 合规
    "attributes": gettext_noop("Attributes"),  # 属性
    "media": gettext_noop("Media"),  # 图文完整度
    "images": gettext_noop("Images"),  # 图片质量
}

SEVERITY_LABELS: Mapping[str, Text] = {
    "error": gettext_noop("Error"),  # 错误
    "warning": gettext_noop("Warning"),  # 警告
    "info": gettext_noop("Tip"),  # 提示
}


def rule_label(code: str) -> str:
    """A rule's name (an unknown code, e.g. of a newer rule set, is shown as itself rather than hidden)."""
    return RULE_LABELS.get(code, code)


def component_label(code: str) -> str:
    return COMPONENT_LABELS.get(code, code)


def severity_label(code: str) -> str:
    return SEVERITY_LABELS.get(code, code)
