"""Metadata of the genre's layouts (invented examples, names made up) and the metadata scorer."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from zhnews import metadata_eval, reading
from zhnews.paths import DERIVED
from zhnews.splits import HEADLINE, HELD_OUT, TUNING

BODY = "近日，某某县司法局在中心广场开展法治宣传活动，发放宣传资料五百余份，解答群众咨询四十余人次。"

# (name, text, expected metadata fields; a field not listed is not checked)
LAYOUTS = [
    ("byline line 记者 X 通讯员 Y",
     f"某某县开展普法活动\n2019年5月6日 来源：某某网\n记者 甲小乙 通讯员 丙丁\n{BODY}",
     {"published": "2019-05-06", "source": "某某网", "reporter": ["甲小乙"], "correspondent": ["丙丁"]}),
    ("XX讯 with date and time in the lead",
     f"某某区举行开放日\n来源:某某网-某客户端2020-12-04\n某某网-某客户端12月4日16时40分讯(通讯员 甲乙)为增强宪法意识，{BODY}",
     {"published": "2020-12-04T16:40:00+08:00", "source": "某某网-某客户端", "outlet": "某某网-某客户端",
      "correspondent": ["甲乙"], "reporter": None}),
    ("本报XX月XX日讯 with the place after 本报",
     f"某某市举行宪法宣传活动\n2024年04月06日\n本报某地4月5日讯(记者 甲乙丙){BODY}",
     {"title": "某某市举行宪法宣传活动", "outlet": "本报", "newspaper": None, "reporter": ["甲乙丙"]}),
    ("XX讯(某报记者 X 通讯员 Y 文/图)",
     f"某某区启动宪法宣传周\n来源:某某日报发布时间:2021-12-03 10:49\n某客户端·某某网2021年12月3日讯(某某日报记者 甲乙丙 通讯员 丁戊 文/图){BODY}",
     {"source": "某某日报", "published": "2021-12-03T10:49:00+08:00", "outlet": "某客户端·某某网",
      "newspaper": "某某日报", "reporter": ["甲乙丙"], "correspondent": ["丁戊"], "photographer": ["甲乙丙", "丁戊"]}),
    ("(通讯员 X) on its own line at the end",
     f"某某镇调解纠纷\n2020-03-02 09:10 来源:某某在线\n{BODY}\n(通讯员 甲乙)",
     {"correspondent": ["甲乙"], "reporter": None, "published": "2020-03-02T09:10:00+08:00"}),
    ("文/X 图/Y",
     f"某某区普法进校园\n2021/06/01 10:00 来源：某某报\n文/甲乙 图/丙丁\n{BODY}",
     {"published": "2021-06-01T10:00:00+08:00", "reporter": ["甲乙"], "photographer": ["丙丁"]}),
    ("X Y/文 Z/图 in the lead's bracket",
     f"某某区普法进校园\n2021-06-01 来源：某某报\n本报讯(记者 甲乙 丙丁/文 戊己/图){BODY}",
     {"outlet": "本报", "reporter": ["甲乙", "丙丁"], "photographer": ["戊己"]}),
    ("来源: X 作者: Y 编辑: Z",
     f"某某县法律援助进村\n来源: 某某日报 作者: 甲乙 编辑: 丙丁 2017-12-05 17:39\n{BODY}",
     {"source": "某某日报", "reporter": ["甲乙"], "editor": ["丙丁"], "published": "2017-12-05T17:39:00+08:00"}),
    ("发布时间 with full-width digits, then 来源",
     f"某某县法律援助进村\n发布时间：２０１７年１２月５日　来源：某某司法局\n{BODY}",
     {"published": "2017-12-05", "source": "某某司法局"}),
    ("来源|责任编辑|发布时间",
     f"某某县法律援助进村\n来源：某某网 | 责任编辑：甲乙 | 发布时间：2017-12-05 17:39\n{BODY}",
     {"source": "某某网", "responsible_editor": ["甲乙"], "published": "2017-12-05T17:39:00+08:00"}),
    ("(责编:X)",
     f"某某县法律援助进村\n2017-12-05 来源：某某网\n{BODY}\n(责编:甲乙)",
     {"responsible_editor": ["甲乙"], "editor": None}),
    ("【责任编辑：X】",
     f"某某县法律援助进村\n2017-12-05 来源：某某网\n{BODY}\n【责任编辑：甲乙】",
     {"responsible_editor": ["甲乙"]}),
    ("编辑：X 审核：Y",
     f"某某县法律援助进村\n2017-12-05 来源：某某网\n{BODY}\n编辑：甲乙 审核：丙丁",
     {"editor": ["甲乙"], "responsible_editor": None}),
    ("caption with 记者 X 摄",
     f"某某县法律援助进村\n2017-12-05 来源：某某网\n工作人员为村民解答法律问题。 记者 甲乙 摄\n{BODY}",
     {"photo_caption": "工作人员为村民解答法律问题。", "photographer": ["甲乙"]}),
    ("X 摄 on the line under the caption",
     f"某某县法律援助进村\n2017-12-05 来源：某某网\n{BODY}\n工作人员为村民解答法律问题。\n甲乙 摄\n活动共接待群众一百二十人次。",
     {"photo_caption": "工作人员为村民解答法律问题。", "photographer": ["甲乙"]}),
    ("…供图: a caption, no photographer",
     f"某某县法律援助进村\n2017-12-05 来源：某某网\n{BODY}\n工作人员为村民解答法律问题。通讯员甲乙供图(资料图)\n活动共接待群众一百二十人次。",
     {"photo_caption": "工作人员为村民解答法律问题。", "photographer": None}),
    ("caption, credit and opener on one line",
     f"某某县开展宪法宣传\n2018-12-03 16:19:56 来源:某某网 责任编辑:甲乙\n通气会现场。 某某网记者 丙丁 摄 某某网12月3日讯(本网记者 丙丁){BODY}",
     {"photo_caption": "通气会现场。", "photographer": ["丙丁"], "reporter": ["丙丁"], "outlet": "某某网",
      "newspaper": None, "responsible_editor": ["甲乙"], "published": "2018-12-03T16:19:56+08:00"}),
    ("opener bracket closed on the next line",
     f"某某区开展宪法宣传日活动\n来源:某某网 | 责任编辑:甲乙 | 发布时间: 2018-12-05 12:35\n某某网讯(记者丙丁戊\n己庚){BODY}",
     {"outlet": "某某网", "reporter": ["丙丁戊", "己庚"], "responsible_editor": ["甲乙"]}),
    ("本报讯 without a bracket",
     f"某某区调解工作见闻\n2021-10-12 来源：某某法制报\n本报讯“大姐，我又来了。”{BODY}",
     {"outlet": "本报", "source": "某某法制报", "reporter": None}),
    ("headline under the site's name and navigation",
     f"某某网\n新闻中心 > 本地\n某某县开展普法活动\n2015-10-25 01:03:00\n原标题:某某县开展普法活动\n某报讯(记者甲乙){BODY}\n(来源:某报)\n编辑:丙丁",
     {"title": "某某县开展普法活动", "published": "2015-10-25T01:03:00+08:00", "source": "某报", "outlet": "某报",
      "reporter": ["甲乙"], "editor": ["丙丁"]}),
    ("e-paper: the date above the headline, a masthead above the date",
     f"《某某日报》 《某某晚报》 《某某法制报》\n2024年04月06日\n某某市开展普法巡演\n本报讯(记者 甲乙){BODY}",
     {"title": "某某市开展普法巡演", "published": "2024-04-06", "outlet": "本报"}),
    ("a date on a line of site furniture, an empty 来源",
     f"某某市打造公共法律服务平台\n2017-12-05 17:39 来源: 字号:\n{BODY}\n新闻发布现场。\n窗口接待群众。\n编辑:甲乙",
     {"published": "2017-12-05T17:39:00+08:00", "source": None, "editor": ["甲乙"],
      "photo_caption": "新闻发布现场。 | 窗口接待群众。"}),
    ("names written together are not split by guessing",
     f"某某区调解工作见闻\n作者:甲乙丙丁戊己 来源:某某法制报 字数:754\n本报讯 {BODY}",
     {"reporter": None, "source": "某某法制报"}),
    ("a caption placing people in the picture",
     f"某某县开展法律援助\n2016-02-19 11:36:15 来源:某某日报\n编辑:甲乙  记者:丙丁 摄影 戊己\n2月16日,在法律援助中心窗口,工作人员(右一)为求助者受理诉求。\n□本报记者 丙丁\n{BODY}",
     {"photo_caption": "2月16日,在法律援助中心窗口,工作人员(右一)为求助者受理诉求。", "photographer": ["戊己"],
      "reporter": ["丙丁"], "editor": ["甲乙"], "outlet": None}),
    ("a short closing sentence is not a caption",
     f"某某县开展普法活动\n2019-05-06 来源：某某网\n{BODY}\n活动受到群众欢迎。",
     {"photo_caption": None}),
    # --- round 2 (layouts of the dev and test halves; every example invented) ---
    ("本报讯(X Y): names in the opener without a role word are the reporters (G12)",
     f"某某县普法进社区\n某某法制报 2020-10-16 00:32\n本报讯(甲乙 丙丁戊){BODY}",
     {"outlet": "本报", "reporter": ["甲乙", "丙丁戊"], "correspondent": None, "newspaper": None}),
    ("an outlet's name in the opener's bracket is no reporter",
     f"某某县普法进社区\n2020-10-16 来源：某某网\n某某网讯(某某日报){BODY}",
     {"outlet": "某某网", "reporter": None}),
    ("(记者X 通讯员Y报道): 报道 glued to the last name",
     f"某某乡普法进牧区\n2023-09-22 11:10:29 来源: 某某网-某某报\n某某网-某某报讯(记者甲乙 通讯员丙丁戊报道){BODY}",
     {"reporter": ["甲乙"], "correspondent": ["丙丁戊"], "outlet": "某某网-某某报"}),
    ("(某某日报 记者X) closing the last paragraph",
     f"{BODY}\n多年来，某某县法治宣传成效明显。(某某日报 记者甲乙)",
     {"newspaper": "某某日报", "reporter": ["甲乙"], "outlet": None}),
    ("(记者 X 通讯员 Y) closing the last paragraph, no outlet",
     f"某某县开展普法活动\n2019-05-06 来源：某某网\n{BODY}(记者 甲乙 通讯员 丙丁)",
     {"newspaper": None, "reporter": ["甲乙"], "correspondent": ["丙丁"]}),
    ("bare names closing the article name nobody's role (G12: annotators differ)",
     f"某某县开展普法活动\n2019-05-06 来源：某某网\n{BODY}(甲乙 丙丁)\n(戊己 庚辛)",
     {"reporter": None, "correspondent": None, "photo_caption": None}),
    ("责任编辑: a user handle glued to the last paragraph",
     f"某某讯(通讯员 甲乙){BODY} 责任编辑:user_07\n|",
     {"responsible_editor": ["user_07"], "correspondent": ["甲乙"], "editor": None}),
    ("(视频编辑:X 文字编辑:Y): editors named by their medium",
     f"某某县法律援助进村\n2017-12-05 来源：某某网\n{BODY}\n(视频编辑:甲乙 文字编辑:丙丁)\n本文来源: 某某网",
     {"editor": ["甲乙", "丙丁"], "responsible_editor": None, "source": "某某网"}),
    ("来源: alone on its line, the source on the next line",
     f"某某省开展宪法日活动\n2017年12月04日 18:34:00\n来源:\n某某在线\n某某在线12月4日讯(记者 甲乙){BODY}",
     {"source": "某某在线", "outlet": "某某在线", "published": "2017-12-04T18:34:00+08:00", "reporter": ["甲乙"]}),
    ("a date line is no source below an empty 来源",
     f"某某省开展宪法日活动\n来源:\n2017年12月04日 18:34:00\n{BODY}",
     {"source": None, "published": "2017-12-04T18:34:00+08:00"}),
    ("作者 names given a narrower role in the opener keep that role only",
     f"某某市开展宪法日活动\n来源:某某网 作者:甲乙 丙丁 编辑:戊己 2017-12-06 15:07:23\n某某网12月5日讯 (通讯员 甲乙 丙丁){BODY}",
     {"reporter": None, "correspondent": ["甲乙", "丙丁"], "editor": ["戊己"], "source": "某某网"}),
    ("作者 names with no other role are reporters",
     f"某某市开展宪法日活动\n来源:某某网 作者:甲乙 编辑:戊己 2017-12-06 15:07:23\n某某网讯 (通讯员 丙丁){BODY}",
     {"reporter": ["甲乙"], "correspondent": ["丙丁"]}),
    ("captions in brackets on their own lines, above the lead",
     f"某某市开展宪法日活动\n来源:某某网 2017-12-06 15:07:23\n(活动现场)\n(工作人员发放宣传资料)\n某某网讯(记者 甲乙){BODY}",
     {"photo_caption": "(活动现场) | (工作人员发放宣传资料)", "reporter": ["甲乙"]}),
    ("a caption whose opening bracket was lost with the picture",
     f"某某区开展普法活动\n来源:某某网  发布日期:2015-10-16\n{BODY}\n群众参加法律知识问答)\n活动共接待群众一百二十人次。",
     {"photo_caption": "群众参加法律知识问答", "published": "2015-10-16"}),
    ("editors' notes and page references in brackets are no captions",
     f"某某区开展普法活动\n2015-10-16 来源:某某网\n{BODY}\n(本文有删节)\n(紧接第一版)\n(紧接01版)",
     {"photo_caption": None}),
    ("a date in Chinese numerals",
     f"某某区开展普法活动\n日期：二〇一八年十二月六日 来源：某某司法局\n{BODY}",
     {"published": "2018-12-06", "source": "某某司法局"}),
    ("a dotted day.month.year date above the source, repeated at the end",
     f"特写:某某现场法律援助\n04.12.2014 00:04\n本文来源: 某某网\n{BODY}\n本文来源: 某某网\n04.12.2014 00:04",
     {"published": "2014-12-04T00:04:00+08:00", "source": "某某网", "title": "特写:某某现场法律援助"}),
    # --- round 3 (layouts of test2; every example invented) ---
    ("某网某日消息(记者X 通讯员Y): a 消息 lead reads like a 讯 lead (G14)",
     f"某某县开展普法活动\n2019-05-06 来源：某某网\n某某网5月6日消息(记者甲乙 通讯员丙丁){BODY}",
     {"outlet": "某某网", "reporter": ["甲乙"], "correspondent": ["丙丁"]}),
    ("某网:(X): a colon lead (G14)",
     f"某某县开展普法活动\n时间:2019-05-06 10:08\n某某新闻网:(甲乙){BODY}",
     {"outlet": "某某新闻网", "reporter": ["甲乙"], "published": "2019-05-06T10:08:00+08:00"}),
    ("某网某地某日电 without a bracket: the place is no part of the outlet (G14)",
     f"某某县开展普法活动\n2019年05月06日10:36 | 来源:某某网\n某某网某地5月6日电 {BODY}",
     {"outlet": "某某网", "reporter": None}),
    ("某网某地讯 without a date: the place is no part of the outlet (G14)",
     f"某某县开展普法活动\n2019-05-06 来源：某某网\n某某网兰州讯(记者甲乙){BODY}",
     {"outlet": "某某网", "reporter": ["甲乙"]}),
    ("某网某日讯 without a bracket: the date is no part of the outlet (G14)",
     f"某某县法律援助工作站揭牌\n2018-01-08 08:49:47 来源:某某报\n某某报-某某在线1月8日讯   {BODY}",
     {"title": "某某县法律援助工作站揭牌", "published": "2018-01-08T08:49:47+08:00", "outlet": "某某报-某某在线"}),
    ("a byline after a bare 本报讯, closed by 报道: (G15, G16: the lead's roles decide over 作者)",
     f"某某高校法律援助工作站揭牌\n来源:某某晚报 作者:甲乙 丙丁 戊己 2022-06-24\n"
     f"本报讯 记者甲乙 通讯员丙丁 戊己报道:{BODY}",
     {"published": "2022-06-24", "source": "某某晚报", "outlet": "本报",
      "reporter": ["甲乙"], "correspondent": ["丙丁", "戊己"]}),
    ("记者 as the subject of the first sentence after a bare 讯 is no byline",
     f"某某市开展宪法宣传周\n2023-12-04 来源:某某网\n某某网讯 记者从某某市司法局获悉,{BODY}",
     {"outlet": "某某网", "reporter": None}),
    ("(某某报记者X 通讯员Y) on its own line at the end: the newspaper and roles (G15)",
     f"某某市开展宪法宣传周\n2023-12-04 来源:某某网\n{BODY}\n(某某工人报记者甲乙 通讯员丙丁)",
     {"newspaper": "某某工人报", "reporter": ["甲乙"], "correspondent": ["丙丁"]}),
    ("某某日报全媒体记者 X Y as the first line: no headline, a newspaper (G15, G18)",
     f"某某日报全媒体记者 甲乙 丙丁\n{BODY}\n12月4日,志愿者在广场引导群众扫码学法。(戊己 摄)",
     {"title": None, "newspaper": "某某日报", "reporter": ["甲乙", "丙丁"],
      "photographer": ["戊己"], "photo_caption": "12月4日,志愿者在广场引导群众扫码学法。"}),
    ("全媒体 before 记者 in the bracket is no newspaper; 值班编辑 is an editor (G16)",
     f"某某市开展宪法日活动\n某某日报讯(全媒体记者 甲乙) {BODY}\n值班编辑:丙丁",
     {"newspaper": None, "reporter": ["甲乙"], "editor": ["丙丁"]}),
    ("the site's date above the page is not the date of the article (G17)",
     f"2024年04月19日\n当前位置:首页 新闻中心\n某某调研组赴某地调研\n作者:甲乙 来源:某某中心 发表于:2020年04月16日 点击数:869\n{BODY}",
     {"published": "2020-04-16", "reporter": ["甲乙"]}),
    ("image file names are no captions (G18)",
     f"某某区打造法治广场\n2020年12月18日 10:50:00 来源:某某公众号\n{BODY}\nab12cd34.jpg\nef56ab78.jpg\n活动现场。甲乙摄",
     {"photo_caption": "活动现场。", "photographer": ["甲乙"], "source": "某某公众号",
      "published": "2020-12-18T10:50:00+08:00"}),
    ("a navigation bar above the headline is furniture, not the first paragraph (G1)",
     f"首页 | 新闻中心 | 法治动态 | 图片新闻 | 视频专题 | 通知公告 | 政策法规 | 联系我们 | 网站地图 | 无障碍浏览\n发布日期:2019-01-29 来源:某某县司法局 作者:甲乙 编辑:丙丁 责任编辑:戊己\n某某县开展法治宣传活动\n{BODY}",
     {"title": "某某县开展法治宣传活动", "source": "某某县司法局", "reporter": ["甲乙"], "editor": ["丙丁"],
      "published": "2019-01-29"}),
    ("an outlet tag in brackets before the headline is not part of it",
     f"[某某晚报]某某市首家法律援助工作站揭牌\n来源:某某晚报\n{BODY}",
     {"title": "某某市首家法律援助工作站揭牌", "source": "某某晚报"}),
    ("an outlet named in a photo credit is no photographer (people fields hold persons)",
     f"某某区开展宪法宣传\n{BODY}\n活动现场。某某网 甲乙摄",
     {"photographer": ["甲乙"], "photo_caption": "活动现场。"}),
    # round 4 (layouts of test3; codebook G21 where it decides)
    ("编审 is an editor; 校审, 监审 and any other word before a colon name nobody (G21)",
     f"某某镇开展宪法宣传\n{BODY}\n编辑:甲乙 校审:丙丁 责任编辑:甲乙 监审:戊己\n编审:庚辛 责编:壬癸 阅读量:",
     {"editor": ["甲乙", "庚辛"], "responsible_editor": ["甲乙", "壬癸"]}),
    ("作者 followed by another CMS label: the label is no name",
     f"某某局开展交流\n发布时间:2023-05-19 13:58:48 来源:某某市政府 作者:甲乙 阅读量:\n{BODY}",
     {"reporter": ["甲乙"], "published": "2023-05-19T13:58:48+08:00", "source": "某某市政府"}),
    ("a bracket of bare names closing the article: the reporters (G12, G16 variation)",
     f"某某县开展普法活动\n{BODY}\n{BODY}(王某某 李某)\n责任编辑:丙丁",
     {"reporter": ["王某某", "李某"], "responsible_editor": ["丙丁"]}),
    ("… or on a line of its own after the text",
     f"某某县开展普法活动\n{BODY}\n(王某某)\n编审:丙丁 责编:戊己",
     {"reporter": ["王某某"], "editor": ["丙丁"], "responsible_editor": ["戊己"]}),
    ("… but not when the opener names the reporters, nor a caption in brackets",
     f"某某县开展普法活动\n本报讯(记者 甲乙){BODY}\n(王某某)",
     {"reporter": ["甲乙"]}),
    ("a bracket caption closing the article is no name",
     f"某某县开展普法活动\n{BODY}\n(活动现场)",
     {"reporter": None}),
    ("closing bracket: names before the role word stay out; 文 makes reporters (G21)",
     f"某某区开放法律服务中心\n{BODY}\n{BODY}(甲乙 丙丁 记者 戊己)",
     {"reporter": ["戊己"], "newspaper": None, "correspondent": None}),
    ("closing bracket with 文",
     f"某某县推进法治乡村建设\n{BODY}\n{BODY}(文 甲乙 丙丁)\n责编:戊己",
     {"reporter": ["甲乙", "丙丁"], "responsible_editor": ["戊己"]}),
    ("several outlets in one opener, a web address among them (G21)",
     f"某某法院开展宪法宣传周活动\n某某报、某某财经网(www.example.com)、某某客户端讯 (特约记者甲乙){BODY}",
     {"outlet": "某某报|某某财经网|某某客户端", "reporter": ["甲乙"], "newspaper": None}),
    ("a place between the outlet and 讯, no bracket (G14)",
     f"某某县开展宪法日活动\n某某新闻网某城讯 为弘扬宪法精神,{BODY}",
     {"outlet": "某某新闻网", "reporter": None}),
]


@pytest.mark.parametrize("name, text, expected", LAYOUTS, ids=[case[0] for case in LAYOUTS])
def test_layout(name, text, expected):
    metadata = reading.parse(text).metadata
    for key, value in expected.items():
        assert metadata[key] == value, key


@pytest.mark.parametrize(
    "line, expected",
    [
        ("2017年12月5日", "2017-12-05"),
        ("2017-12-05 17:39", "2017-12-05T17:39:00+08:00"),
        ("2017/12/05", "2017-12-05"),
        ("２０１７－１２－０５", "2017-12-05"),  # full-width digits and hyphens
        ("２０１７年１２月０５日 １７:３９", "2017-12-05T17:39:00+08:00"),
        ("14.12.2014 10:20", "2014-12-14T10:20:00+08:00"),  # day.month: 14 cannot be a month
        ("04.12.2014 10:20", "2014-12-04T10:20:00+08:00"),  # dotted, year last: day.month.year
        ("12.14.2014", "2014-12-14"),  # 14 cannot be a month: the month came first
        ("二〇一八年十二月六日", "2018-12-06"),  # Chinese numerals
        ("二○二一年一月三十一日 17:04", "2021-01-31T17:04:00+08:00"),
        ("二〇一八年十三月六日", None),  # no such month: nothing read
        ("2017年12月5日 17时39分", "2017-12-05T17:39:00+08:00"),
        ("2017-13-05", None),
    ],
)
def test_dates_of_the_genre(line, expected):
    assert reading._published(line) == expected


def test_absent_fields_are_none_never_guessed():
    metadata = reading.parse(f"某某县开展普法活动\n{BODY}").metadata
    assert metadata["title"] == "某某县开展普法活动"
    assert all(metadata[key] is None for key in metadata if key != "title")


def test_the_seed_keeps_its_metadata(seed):
    """The seed's metadata is still the committed article.json's (which the reliability tests regenerate)."""
    record = json.loads((DERIVED / "article.json").read_text(encoding="utf-8"))
    assert {key: record[key] for key in seed.metadata} == seed.metadata


# --- the scorer ---------------------------------------------------------------------------------


def test_comparison_rules():
    correct = metadata_eval.field_correct
    assert correct("photographer", "甲乙|丙丁", ["丙丁", "甲乙", "甲乙"])
    assert not correct("photographer", "甲乙|丙丁", ["甲乙"])
    assert correct("published", "2017-12-05T17:39:00+08:00", "2017-12-05T17:39:00+08:00")
    assert correct("published", "2017-12-05T17:39:00+08:00", "2017-12-05T17:39:59+08:00") is False
    assert correct("published", "2017-12-05", "2017-12-05T17:39:00+08:00")
    assert not correct("published", "2017-12-06", "2017-12-05")
    assert correct("photo_caption", "甲。|乙。", "乙。 | 甲。")
    assert correct("title", " 某某 市 ", "某某市")
    assert not correct("outlet", "", "本报") and not correct("outlet", "本报", None) and correct("outlet", "", None)


def test_gold_has_every_field_and_the_seed():
    gold = metadata_eval.load_gold()
    assert list(gold.columns) == ["file", *metadata_eval.FIELDS, "split"]
    assert gold["file"].is_unique and (gold["split"] == "seed").sum() == 1


def test_scores_carry_no_values_and_errors_refuse_the_held_out_split():
    scores = metadata_eval.score()
    assert list(scores.columns) == ["file", "split", "field", "correct"]
    assert len(scores) == len(metadata_eval.load_gold()) * len(metadata_eval.FIELDS)
    for held_out in (*HELD_OUT, "holdout"):
        with pytest.raises(ValueError, match=held_out):
            metadata_eval.errors(held_out)
    # every tuning split present in the gold: its listed errors are exactly its wrong decisions
    for tuning in sorted(set(TUNING) & set(scores["split"])):
        assert len(metadata_eval.errors(tuning)) == int((~scores.loc[scores["split"] == tuning, "correct"]).sum())


def test_accuracy_table_scores_a_held_out_split_after_the_others():
    gold = metadata_eval.load_gold()
    gold = gold[gold["split"] != HEADLINE]  # the real held-out rows are replaced by stand-ins
    held_out = gold[gold["split"] == "test"].assign(split=HEADLINE)  # stand-in rows: only the split name differs
    scores = metadata_eval.score(pd.concat([gold, held_out], ignore_index=True))
    table = metadata_eval.accuracy_table(scores, reps=50)
    assert list(dict.fromkeys(table["split"])) == ["seed", *TUNING, HEADLINE]
    by = table.set_index(["split", "field"])["accuracy"]
    assert by[(HEADLINE, "overall")] == by[("test", "overall")]


def test_accuracy_table_is_consistent_and_meets_the_target_on_dev():
    scores = metadata_eval.score()
    table = metadata_eval.accuracy_table(scores, reps=200)
    assert set(table["split"]) == set(scores["split"]) and set(table["split"]) >= {"seed", *TUNING}
    assert (table["ci_low"] <= table["accuracy"]).all() and (table["accuracy"] <= table["ci_high"]).all()
    for row in table.itertuples():
        part = scores[scores["split"] == row.split]
        part = part if row.field == "overall" else part[part["field"] == row.field]
        assert row.n_correct == int(part["correct"].sum())
        assert row.accuracy == round(part["correct"].mean(), 3)
    by = table.set_index(["split", "field"])["accuracy"]
    # the seed's gold is read off the raw article by hand; the target is 95 % of gold fields
    assert by[("seed", "overall")] == 1.0
    assert by[("dev", "overall")] >= 0.95
    # the per-article errors of dev are exactly its wrong decisions
    assert len(metadata_eval.errors("dev")) == int((~scores.loc[scores["split"] == "dev", "correct"]).sum())
