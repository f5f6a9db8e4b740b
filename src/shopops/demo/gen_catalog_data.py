"""The demo brand's assortment as data: categories (类目), SPUs and their variants (SKU 规格/香型/色号).

山茶集 is a camellia-themed personal-care and home-fragrance brand: skin care and cleansing for the core
repurchase, fragrance and home fragrance for gifting, gift sets for 年货节/38节/七夕/双11. Prices are list prices
in yuan ending in 9 (the usual 尾数定价), from ¥39 hand cream to ¥599 gift boxes.
"""

from __future__ import annotations

from dataclasses import dataclass

BRAND = "山茶集"
BRAND_LATIN = "SHANCHAJI"
SHOP_NAME = "山茶集官方旗舰店"

Variant = tuple[dict[str, str], int]  # (attributes, list price in yuan)


@dataclass(frozen=True, slots=True)
class CategoryData:
    code: str
    name: str
    spu_prefix: str
    words: tuple[str, ...]  # category words (类目词) used in titles and search keywords
    season: tuple[float, ...]  # month-of-year demand factor, Jan..Dec
    refund_mult: float  # relative after-sales rate (fragile glass, shade/scent mismatch → higher)
    benefit: str
    who: str
    usage: str


@dataclass(frozen=True, slots=True)
class ProductData:
    category: str
    name: str
    words: tuple[str, ...]  # product selling words (核心词/属性词/场景词)
    variants: tuple[Variant, ...]
    popularity: float
    new: bool = False  # launched inside the simulated window (新品首发)


_FLAT = (1.0,) * 12
_SUMMER = (0.45, 0.5, 0.7, 1.0, 1.4, 1.8, 1.9, 1.7, 1.2, 0.75, 0.55, 0.45)
_WINTER = (1.35, 1.25, 1.05, 0.9, 0.8, 0.75, 0.75, 0.78, 0.9, 1.1, 1.35, 1.45)
_COSY = (1.25, 1.1, 0.95, 0.9, 0.9, 0.85, 0.85, 0.85, 0.95, 1.05, 1.25, 1.45)
_GIFT = (1.6, 1.7, 1.3, 0.8, 1.2, 0.9, 0.8, 1.3, 0.8, 0.9, 1.0, 1.6)
_MASK = (0.95, 0.95, 1.0, 1.0, 1.05, 1.1, 1.1, 1.05, 1.0, 0.95, 0.95, 1.0)

CATEGORIES: tuple[CategoryData, ...] = (
    CategoryData("skincare", "护肤", "SK", ("补水保湿", "修护", "护肤品", "敏感肌", "女"), _FLAT, 0.9,
                 "以山茶花籽油与烟酰胺为核心，温和修护肌肤屏障，长效补水、提亮肤色",
                 "干性、混合性及敏感肌", "洁面后取适量均匀涂抹于面部，轻拍至吸收，早晚使用"),
    CategoryData("cleansing", "洁面卸妆", "CL", ("温和清洁", "深层清洁", "敏感肌", "男女"), _FLAT, 0.8,
                 "氨基酸表活温和清洁，洗后不紧绷，同时带走彩妆与多余油脂",
                 "所有肤质，敏感肌亦可使用", "取适量于掌心，打圈按摩后用温水冲净"),
    CategoryData("suncare", "防晒", "SU", ("防晒", "防紫外线", "清爽不油腻", "户外", "学生"), _SUMMER, 1.1,
                 "高倍广谱防晒，轻薄成膜不搓泥，通勤户外都适用",
                 "油性、混合性肌肤及日常通勤人群", "出门前15分钟取适量均匀涂抹，户外每2小时补涂"),
    CategoryData("masks", "面膜", "MK", ("补水", "保湿", "面膜女", "熬夜"), _MASK, 0.8,
                 "高浓度精华液浸润，急救干燥暗沉，熬夜后快速恢复水润",
                 "干燥缺水、熬夜暗沉肌肤", "洁面后敷于面部15–20分钟，取下后轻拍至吸收"),
    CategoryData("bodycare", "身体护理", "BD", ("香氛", "持久留香", "滋润保湿", "秋冬", "女"), _WINTER, 0.9,
                 "山茶花籽油滋润配方，改善干燥粗糙，淡淡香氛持久留香",
                 "身体干燥、粗糙人群", "沐浴后取适量涂抹全身，按摩至吸收"),
    CategoryData("haircare", "洗护发", "HR", ("控油蓬松", "柔顺", "无硅油", "香氛", "男女"), _FLAT, 0.8,
                 "茶籽净澈配方，清洁头皮同时修护发丝，蓬松柔顺不毛躁",
                 "油性头皮、受损发质", "湿发后取适量按摩头皮与发丝，1–2分钟后冲净"),
    CategoryData("fragrance", "香水", "FR", ("淡香", "持久", "女士香水", "小众", "清新", "送女友"), _FLAT, 1.3,
                 "以东方茶香为灵感调香，前调清新、中调温柔、尾调木质，留香4–6小时",
                 "喜欢清新淡雅香气的你", "喷于手腕、耳后等脉搏处，距离15–20厘米"),
    CategoryData("home-fragrance", "家居香氛", "HF", ("香薰", "卧室", "室内", "持久", "助眠", "送礼"), _COSY, 1.4,
                 "天然大豆蜡与精油调香，安静扩香，营造松弛的居家氛围",
                 "卧室、客厅、书房及车内空间", "首次点燃请燃烧至蜡面全部融化，每次不超过4小时"),
    CategoryData("lipcare", "唇部护理", "LP", ("润唇", "保湿", "滋润", "女", "学生"), _WINTER, 1.5,
                 "山茶花油滋养双唇，改善干裂起皮，薄涂自然有光泽",
                 "唇部干燥、起皮人群", "直接涂抹于双唇，可随时补涂"),
    CategoryData("giftsets", "礼盒套装", "GS", ("礼盒", "送女友", "生日礼物", "套装", "节日礼物"), _GIFT, 0.7,
                 "精选人气单品组合，附赠礼袋与贺卡，一份心意一次到位",
                 "生日、纪念日、节日送礼", "按各单品说明使用"),
)

SCENTS6 = ("白茶", "山茶花", "乌龙", "柚子", "雪松", "桂花")
SCENTS4 = ("白茶", "山茶花", "桂花", "小苍兰")
SCENTS3 = ("白茶", "山茶花", "乌龙")
LIP_SHADES = ("#01 山茶红", "#02 枫叶棕", "#03 蜜桃粉", "#04 豆沙色", "#05 奶茶色", "#06 正红色")


def _sizes(*pairs: tuple[str, int], axis: str = "规格") -> tuple[Variant, ...]:
    return tuple(({axis: value}, price) for value, price in pairs)


def _scented(scents: tuple[str, ...], *sizes: tuple[str, int]) -> tuple[Variant, ...]:
    return tuple(({"香型": scent, "规格": size}, price) for scent in scents for size, price in sizes)


def _axis(axis: str, values: tuple[str, ...], price: int, **fixed: str) -> tuple[Variant, ...]:
    return tuple(({axis: value, **fixed}, price) for value in values)


P = ProductData
PRODUCTS: tuple[ProductData, ...] = (
    # 护肤
    P("skincare", "山茶花焕亮精华液", ("提亮肤色", "烟酰胺", "淡化痘印", "精华液"),
      _sizes(("30ml", 259), ("50ml", 369), ("100ml", 599)), 9.0),
    P("skincare", "山茶花修护面霜", ("屏障修护", "滋润", "秋冬", "面霜"), _sizes(("50g", 299), ("80g", 429)), 7.0),
    P("skincare", "山茶花保湿爽肤水", ("补水", "湿敷", "化妆水", "爽肤水"), _sizes(("150ml", 139), ("300ml", 219)), 6.0),
    P("skincare", "山茶花保湿乳液", ("清爽", "补水", "乳液", "学生党"), _sizes(("120ml", 159), ("200ml", 239)), 4.5),
    P("skincare", "山茶花紧致眼霜", ("淡化细纹", "黑眼圈", "眼袋", "眼霜"), _sizes(("15g", 239), ("30g", 399)), 3.5),
    P("skincare", "白茶净透精华水", ("控油", "收缩毛孔", "精华水", "清爽"), _sizes(("120ml", 169), ("200ml", 249)), 3.0),
    P("skincare", "积雪草舒缓修护精华", ("舒缓泛红", "修护", "积雪草", "精华"), _sizes(("30ml", 199), ("50ml", 289)), 3.0),
    P("skincare", "山茶花精华油", ("面部精华油", "滋养", "提亮", "按摩"), _sizes(("15ml", 189), ("30ml", 329)), 2.0),
    P("skincare", "玻尿酸补水啫喱面霜", ("玻尿酸", "清爽", "学生党", "面霜"), _sizes(("50g", 129), ("100g", 199)), 3.0),
    P("skincare", "山茶花抗皱紧致精华霜", ("抗皱", "紧致", "淡纹", "精华霜"), _sizes(("50g", 459)), 4.0, new=True),
    # 洁面卸妆
    P("cleansing", "山茶花氨基酸洁面乳", ("氨基酸", "洗面奶", "控油", "泡沫细腻"), _sizes(("100g", 69), ("150g", 89)), 8.0),
    P("cleansing", "山茶花卸妆油", ("卸妆油", "眼唇可用", "乳化快", "不糊眼"), _sizes(("150ml", 119), ("300ml", 189)), 5.0),
    P("cleansing", "白茶温和卸妆水", ("卸妆水", "敏感肌", "温和", "大瓶装"), _sizes(("300ml", 79), ("500ml", 109)), 4.0),
    P("cleansing", "茶籽净颜洁面慕斯", ("洁面慕斯", "泡泡", "清洁毛孔"), _sizes(("150ml", 89)), 2.5),
    P("cleansing", "山茶花卸妆膏", ("卸妆膏", "深层清洁", "温和"), _sizes(("100g", 129)), 2.0),
    # 防晒
    P("suncare", "山茶花清透防晒乳", ("SPF50+", "PA++++", "防晒乳", "军训"), _sizes(("40ml", 129), ("60ml", 169)), 6.0),
    P("suncare", "山茶花隔离防晒霜", ("隔离", "妆前", "提亮", "防晒霜"),
      _axis("颜色", ("自然色", "亮白色"), 149, 规格="40ml"), 3.0),
    P("suncare", "清爽防晒喷雾", ("防晒喷雾", "全身", "户外", "便携"), _sizes(("100ml", 99), ("150ml", 139)), 3.5),
    P("suncare", "山茶花轻透水感防晒凝胶", ("水感", "防晒凝胶", "不搓泥"), _sizes(("50ml", 159)), 3.0, new=True),
    # 面膜
    P("masks", "山茶花补水面膜", ("补水面膜", "保湿", "熬夜急救", "贴片"),
      _sizes(("5片装", 69), ("10片装", 119), ("20片装", 219), axis="片数"), 7.0),
    P("masks", "白茶清洁泥膜", ("清洁面膜", "去黑头", "涂抹式"), _sizes(("100g", 109)), 3.0),
    P("masks", "山茶花睡眠面膜", ("免洗", "睡眠面膜", "夜间修护"), _sizes(("80g", 129)), 3.0),
    P("masks", "积雪草修护冻膜", ("冻膜", "舒缓", "修护"), _sizes(("75g", 149)), 2.5, new=True),
    # 身体护理
    P("bodycare", "香氛身体乳", ("身体乳", "持久留香", "补水", "秋冬"),
      _scented(SCENTS4, ("250ml", 89), ("400ml", 129)), 8.0),
    P("bodycare", "香氛沐浴露", ("沐浴露", "留香", "泡沫丰富"), _scented(SCENTS4, ("500ml", 79), ("1L", 129)), 6.0),
    P("bodycare", "山茶花护手霜", ("护手霜", "滋润", "便携", "不油腻"), _scented(SCENTS6, ("30g", 39)), 6.0),
    P("bodycare", "香氛身体磨砂膏", ("磨砂膏", "去角质", "鸡皮肤"), _scented(SCENTS3, ("200g", 99)), 2.5),
    P("bodycare", "山茶花润体精油", ("身体精油", "滋润", "按摩油"), _sizes(("100ml", 169)), 1.5),
    P("bodycare", "香氛身体喷雾", ("身体喷雾", "清新", "香体"), _scented(SCENTS4, ("100ml", 109)), 3.0, new=True),
    # 洗护发
    P("haircare", "山茶花无硅油洗发水", ("洗发水", "无硅油", "去屑", "蓬松"),
      tuple(({"功效": kind, "规格": size}, price) for kind in ("控油蓬松", "柔顺修护")
            for size, price in (("400ml", 79), ("750ml", 119))), 6.0),
    P("haircare", "山茶花修护护发素", ("护发素", "顺滑", "修护干枯"), _sizes(("400ml", 79), ("750ml", 119)), 3.5),
    P("haircare", "山茶花护发精油", ("护发精油", "免洗", "防毛躁"), _sizes(("50ml", 99), ("100ml", 159)), 3.5),
    P("haircare", "茶籽控油头皮清洁膏", ("头皮清洁", "控油", "去屑"), _sizes(("200g", 109)), 2.0),
    P("haircare", "香氛护发喷雾", ("护发喷雾", "留香", "顺发"), _scented(SCENTS3, ("150ml", 89)), 2.0),
    # 香水
    P("fragrance", "东方茶韵淡香水", ("淡香水", "持久", "小众", "女士"),
      _scented(SCENTS6, ("30ml", 199), ("50ml", 299)), 7.0),
    P("fragrance", "香水小样探索礼盒", ("小样", "试香", "香水礼盒"), _sizes(("5ml×5", 129)), 3.0),
    P("fragrance", "山茶花固体香膏", ("固体香膏", "便携", "淡香"), _scented(SCENTS4, ("15g", 89)), 3.0),
    P("fragrance", "走珠香水", ("走珠", "便携", "学生"), _scented(SCENTS4, ("10ml", 99)), 2.5),
    P("fragrance", "桂花乌龙浓香水", ("浓香水", "东方香", "高级感"), _sizes(("50ml", 399), ("100ml", 599)), 3.0, new=True),
    # 家居香氛
    P("home-fragrance", "山茶集香薰蜡烛", ("香薰蜡烛", "大豆蜡", "助眠", "卧室"),
      _scented(SCENTS6, ("120g", 129), ("220g", 199)), 6.0),
    P("home-fragrance", "无火香薰藤条", ("无火香薰", "藤条", "卫生间", "除味"),
      _scented(SCENTS6, ("150ml", 119), ("250ml", 169)), 5.5),
    P("home-fragrance", "车载香薰", ("车载", "出风口", "持久"), _scented(SCENTS4, ("1件", 79)), 3.0),
    P("home-fragrance", "香薰精油", ("精油", "香薰机", "助眠"), _scented(SCENTS6, ("10ml", 59)), 3.0),
    P("home-fragrance", "枕头香氛喷雾", ("枕头喷雾", "衣物", "助眠"), _scented(SCENTS3, ("100ml", 69)), 2.0),
    P("home-fragrance", "香氛扩香石", ("扩香石", "衣柜", "摆件"), _scented(SCENTS3, ("1套", 69)), 1.5),
    P("home-fragrance", "香氛蜡片", ("香氛蜡片", "衣柜", "挂件"), _scented(SCENTS4, ("3片装", 89)), 2.5, new=True),
    # 唇部护理
    P("lipcare", "山茶花润唇膏", ("润唇膏", "防干裂", "打底"),
      (({"款式": "无色", "规格": "3.5g"}, 59), ({"款式": "淡粉", "规格": "3.5g"}, 59),
       ({"款式": "无色", "规格": "3支装"}, 149)), 5.0),
    P("lipcare", "山茶花水光唇釉", ("唇釉", "显白", "不拔干", "口红"), _axis("色号", LIP_SHADES, 139), 4.5),
    P("lipcare", "山茶花唇部精华油", ("唇油", "淡化唇纹", "镜面"), _axis("颜色", ("透明", "樱桃粉"), 99), 2.5),
    P("lipcare", "山茶花修护唇膜", ("唇膜", "睡眠", "去死皮"), _sizes(("15g", 79)), 2.0),
    # 礼盒套装
    P("giftsets", "山茶花护肤礼盒", ("护肤套装", "水乳", "送妈妈"), _sizes(("三件套", 499), ("四件套", 599), axis="套装"), 4.0),
    P("giftsets", "香氛身体护理礼盒", ("身体乳", "沐浴露", "送闺蜜"), _scented(SCENTS3, ("礼盒装", 259)), 3.0),
    P("giftsets", "香水香膏礼盒", ("香水", "香膏", "情人节"), _scented(SCENTS3, ("30ml+15g", 299)), 3.0),
    P("giftsets", "香薰蜡烛双支礼盒", ("香薰蜡烛", "乔迁", "送礼"), _sizes(("双支装", 299), axis="套装"), 2.0),
    P("giftsets", "护手霜六支礼盒", ("护手霜", "伴手礼", "小样"), _sizes(("6支装", 199), axis="套装"), 3.0),
    P("giftsets", "新春限定福袋礼盒", ("新年礼物", "福袋", "限定"), _sizes(("福袋装", 399), axis="套装"), 2.5, new=True),
)

# Category pairs bought together (共购): skin care with cleansing/masks/sun care, body with hair,
# fragrance with home fragrance; gift sets are mostly bought alone.
RELATED: dict[tuple[str, str], float] = {
    ("skincare", "skincare"): 2.0, ("skincare", "cleansing"): 3.0, ("skincare", "masks"): 3.0,
    ("skincare", "suncare"): 2.5, ("cleansing", "masks"): 1.5, ("cleansing", "suncare"): 1.5,
    ("masks", "masks"): 1.0, ("bodycare", "haircare"): 3.0, ("bodycare", "bodycare"): 2.0,
    ("haircare", "haircare"): 1.5, ("bodycare", "fragrance"): 1.5, ("fragrance", "home-fragrance"): 2.5,
    ("home-fragrance", "home-fragrance"): 3.0, ("fragrance", "fragrance"): 1.0, ("lipcare", "skincare"): 1.5,
    ("lipcare", "fragrance"): 1.0, ("lipcare", "lipcare"): 1.0, ("bodycare", "home-fragrance"): 1.0,
}
RELATED_DEFAULT = 0.4
RELATED_GIFT = 0.3
