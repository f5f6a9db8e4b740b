"""Buyers' personal details: nickname (昵称), masked phone (脱敏手机号), province and city (收货地址).

The province mix follows where Chinese online shoppers live: the coastal provinces (广东, 江苏, 浙江, 山东) and the
big municipalities dominate, the west is thin. Exports desensitise PII
(docs/rules/platforms.md#personal-data-masking: masked addresses, ``##密文``), so phones are only ever kept
masked as ``138****5678``.
"""

from __future__ import annotations

import numpy as np

# (province, weight, ((city, weight), ...)); weights are relative shares of buyers.
GEO: tuple[tuple[str, float, tuple[tuple[str, float], ...]], ...] = (
    ("广东省", 12.0, (("广州市", .28), ("深圳市", .30), ("东莞市", .10), ("佛山市", .10), ("惠州市", .05),
                    ("中山市", .05), ("珠海市", .04), ("汕头市", .04), ("江门市", .04))),
    ("江苏省", 8.5, (("南京市", .22), ("苏州市", .28), ("无锡市", .12), ("常州市", .09), ("南通市", .09),
                   ("徐州市", .08), ("扬州市", .06), ("盐城市", .06))),
    ("浙江省", 8.0, (("杭州市", .38), ("宁波市", .18), ("温州市", .14), ("金华市", .12), ("绍兴市", .08),
                   ("嘉兴市", .06), ("台州市", .04))),
    ("山东省", 6.0, (("济南市", .22), ("青岛市", .30), ("烟台市", .12), ("潍坊市", .12), ("临沂市", .12),
                   ("淄博市", .12))),
    ("河南省", 4.8, (("郑州市", .45), ("洛阳市", .15), ("新乡市", .10), ("南阳市", .15), ("开封市", .15))),
    ("四川省", 4.8, (("成都市", .70), ("绵阳市", .10), ("德阳市", .08), ("宜宾市", .06), ("南充市", .06))),
    ("上海市", 4.5, (("上海市", 1.0),)),
    ("北京市", 4.2, (("北京市", 1.0),)),
    ("湖北省", 3.8, (("武汉市", .65), ("宜昌市", .12), ("襄阳市", .12), ("荆州市", .11))),
    ("福建省", 3.8, (("福州市", .30), ("厦门市", .32), ("泉州市", .28), ("漳州市", .10))),
    ("湖南省", 3.3, (("长沙市", .60), ("株洲市", .12), ("衡阳市", .14), ("岳阳市", .14))),
    ("河北省", 3.3, (("石家庄市", .35), ("保定市", .20), ("唐山市", .20), ("廊坊市", .15), ("邯郸市", .10))),
    ("安徽省", 3.0, (("合肥市", .55), ("芜湖市", .18), ("蚌埠市", .12), ("阜阳市", .15))),
    ("辽宁省", 2.4, (("沈阳市", .45), ("大连市", .40), ("鞍山市", .15))),
    ("陕西省", 2.4, (("西安市", .80), ("咸阳市", .12), ("宝鸡市", .08))),
    ("重庆市", 2.3, (("重庆市", 1.0),)),
    ("江西省", 2.0, (("南昌市", .55), ("赣州市", .25), ("九江市", .20))),
    ("广西壮族自治区", 2.0, (("南宁市", .50), ("柳州市", .20), ("桂林市", .30))),
    ("云南省", 1.8, (("昆明市", .75), ("曲靖市", .13), ("玉溪市", .12))),
    ("天津市", 1.6, (("天津市", 1.0),)),
    ("山西省", 1.5, (("太原市", .60), ("大同市", .20), ("运城市", .20))),
    ("黑龙江省", 1.3, (("哈尔滨市", .70), ("大庆市", .15), ("齐齐哈尔市", .15))),
    ("贵州省", 1.3, (("贵阳市", .70), ("遵义市", .30))),
    ("吉林省", 1.0, (("长春市", .65), ("吉林市", .35))),
    ("内蒙古自治区", 0.9, (("呼和浩特市", .50), ("包头市", .35), ("鄂尔多斯市", .15))),
    ("新疆维吾尔自治区", 0.7, (("乌鲁木齐市", .80), ("克拉玛依市", .20))),
    ("甘肃省", 0.7, (("兰州市", .85), ("天水市", .15))),
    ("海南省", 0.6, (("海口市", .65), ("三亚市", .35))),
    ("宁夏回族自治区", 0.3, (("银川市", 1.0),)),
    ("青海省", 0.2, (("西宁市", 1.0),)),
    ("西藏自治区", 0.1, (("拉萨市", 1.0),)),
)
# 偏远地区: most shops do not offer free shipping there.
REMOTE_PROVINCES = frozenset({"新疆维吾尔自治区", "西藏自治区", "青海省", "宁夏回族自治区", "甘肃省", "内蒙古自治区"})

PHONE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
                  "155", "156", "157", "158", "159", "166", "177", "180", "181", "182", "183", "185", "186",
                  "187", "188", "189", "191", "198", "199")

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢"
_TRAITS = ("快乐", "温柔", "早睡", "努力", "迷糊", "安静", "会飞", "睡不醒", "爱笑", "追光", "慢吞吞", "胖胖",
           "不加班", "爱喝奶茶", "不吃香菜")
_THINGS = ("小猫", "兔子", "橙子", "小鹿", "柠檬", "鲸鱼", "仙女", "星星", "棉花糖", "栗子", "小熊", "月亮",
           "蘑菇", "向日葵", "布丁", "芒果", "山茶", "奶盖", "云朵", "小满", "桃子", "汤圆")
_SUFFIXES = ("酱", "呀", "同学", "本人", "不加糖", "233", "0520", "1314", "_", "er")
_LATIN = ("momo", "Luna", "Coco", "Ivy", "Amber", "yoyo", "Cherry", "Vicky", "Nana", "Kiki", "Eva", "Miya",
          "Sunny", "Lily", "Anna", "Zoe")
_TITLES = ("小姐", "女士", "同学", "先生")


def nicknames(rng: np.random.Generator, count: int) -> list[str]:
    """Platform-style nicknames: "会飞的鲸鱼", "栗子同学", "Luna_1998", "陈小姐", default "用户12345678"."""
    kind = rng.random(count).tolist()
    a, b, c, d = (col.tolist() for col in rng.integers(0, 1 << 30, size=(4, count)))
    names = []
    for i in range(count):
        k = kind[i]
        if k < 0.28:
            names.append(f"{_TRAITS[a[i] % len(_TRAITS)]}的{_THINGS[b[i] % len(_THINGS)]}")
        elif k < 0.50:
            names.append(_THINGS[a[i] % len(_THINGS)] + _SUFFIXES[b[i] % len(_SUFFIXES)])
        elif k < 0.66:
            tail = f"_{1985 + c[i] % 21}" if d[i] % 2 else ""
            names.append(_LATIN[a[i] % len(_LATIN)] + tail)
        elif k < 0.80:
            title = _TITLES[b[i] % len(_TITLES)] if c[i] % 7 else "总"
            names.append(_SURNAMES[a[i] % len(_SURNAMES)] + title)
        elif k < 0.92:
            names.append(f"用户{10_000_000 + a[i] % 90_000_000}")
        else:
            names.append(f"tb{100_000_000 + a[i] % 900_000_000}_{10 + b[i] % 90}")
    return names


def masked_phones(rng: np.random.Generator, count: int) -> list[str]:
    prefixes = rng.integers(len(PHONE_PREFIXES), size=count)
    tails = rng.integers(0, 10_000, size=count)
    return [f"{PHONE_PREFIXES[p]}****{t:04d}" for p, t in zip(prefixes.tolist(), tails.tolist(), strict=True)]


def places(rng: np.random.Generator, count: int) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """Draw (province, city) for ``count`` buyers; returns the place index per buyer and the place table."""
    table: list[tuple[str, str]] = []
    weights: list[float] = []
    for province, share, cities in GEO:
        total = sum(w for _, w in cities)
        for city, w in cities:
            table.append((province, city))
            weights.append(share * w / total)
    cumulative = np.cumsum(weights)
    place = np.searchsorted(cumulative, rng.random(count) * cumulative[-1], side="right")
    return np.minimum(place, len(table) - 1), table
