"""Every sentence the conversation says of its own (questions are in questions.py, answers in
render.py and replies.py): one place to read and change the bot's wording."""

from __future__ import annotations

import datetime as dt

from bot.conversation.privacy import NOTICE
from bot.models import Option
from rules import policy

HOTLINE = "12393"  # the medical-insurance service hotline (../shared/seeds/README.md)

PRIVACY_TEXT = NOTICE
EMPTY_TEXT = "您好像没有输入内容。可以直接问我，比如“我断保了两年，要等多久才能报销？”"
LONG_TEXT = (
    "这段内容太长了（{n}个字），我一次只能看一两句话。请简单说说您想问什么，比如“2026年我的大病保险封顶线是多少？”"
)
CONFLICT_TEXT = "{years}您说了交了也说了没交，我没法确定。请再告诉我一次：{years}交了吗？"
EARLY_YEAR_TEXT = (
    "{years}不计入：{first}年以前的参保缴费年限不纳入计算（渝医保发〔2025〕37号 四.2），我只看{first}年及以后的年份。"
)
FAR_YEAR_TEXT = "{years}不像是有效的年份。我能计算的是{first}年到{last}年的参保情况，请再检查一下年份。"
AMEND_TEXT = "好的，哪里不对？直接告诉我正确的情况就行，比如“2026年没交”或“补缴了1年”。"
YEARS_AGAIN = "{years}是都交了吗？请选出交了的年份，或者直接说“都交了”“2026年没交”。"
ZERO_CLAIM_AGAIN = (
    "{years}里，请选出一次都没有用医保报销过的年份；每年都报销过就说“都报销过”，都没报销过就说“都没报销过”。"
)
REWARD_AGAIN = "请告诉我：大病保险有没有用到过激励增加的额度？没有用到就说“没有”，用到过就说“用到过”。"
BACKPAID_HOW_MANY = "补缴了几年？（断保共{n}年）"
PAID_ON_AGAIN = "请直接告诉我{target}年的医保费是哪天交的，比如“{example}”或“今天交的”；还没交的话，告诉我打算哪天交。"
PAID_ON_PLAN = "{target}年的医保费打算哪天交？交费的日期决定从哪天开始能报销。"
PAID_OTHER_YEAR = (
    "{day}交的是{year}年的医保费（每年9月至次年2月是下一年度的集中参保期）。您问的{target}年的医保费是哪天交的？"
)
BORN_FUTURE = "{day}还没到。孩子是哪天出生的？"
BORN_BEFORE_YEAR = (
    "孩子{born}年出生，{years}还不能参保，我先不算{years}。如果说的是别的年份，或者出生日期不对，直接告诉我就行。"
)
RESUME_TEXT = "接着算您的{task}（不想算了可以说“不用了”）："
SAME_CASE = "好的，这和刚才计算用的情况一致，结果不变：\n"
FIGURES_AFTER_FACTS = "好的，这就给您算，还差一点情况要问清楚："
CANCEL_TEXT = "好的，已取消这次计算。您说过的情况我先记着，有别的问题随时问我。"
RESTART_TEXT = "好的，我们重新开始。您想问什么？比如“我的大病保险封顶线是多少”或“断保了要等多久”。"
FORGET_TEXT = "已删除我保存的关于您的全部记录。需要时随时可以重新开始。"
NOTED_TEXT = "好的，记下了。"
STALE_TEXT = "这个选项已经过期了。请直接告诉我您想问什么。"
ANYTHING_ELSE = "好的。还有什么想问的吗？比如“我的大病保险封顶线是多少”。"
WHAT_NOW = "好的，您想问什么？"
CONFLICTING_FACTS = "按您说的情况有一处对不上：{why}。哪一项不对？直接告诉我正确的情况就行。"
NO_DETAILS = "还没有算过您的情况。想算的话，告诉我您哪几年参保、想问哪一项就行。"
AS_SAID = "按您说的情况："
REMEMBERED = "按您前面说的情况，"
ONE_SHOT_NEEDS = "要算出您的{task}，我还需要知道：{facts}。可以把这些情况一次说全再问，或者用 yibao chat 一问一答。"
GENERAL_RULE = "一般规定："
ASSUMED = {
    "backpaid": "（没说补缴，按没有补缴计算。）",
    "reward_used": "（没说大病保险用过激励额度，按没有用过计算。）",
    "zero_claim": "（没说哪年没报销过，按每年都有报销、没有零报销激励计算；哪年一次都没报销过，次年封顶线还会更高。）",
    "paid_on": "（没说哪天交的，按在集中参保期内、12月底前缴费计算；集中参保期以外缴费的，等待期另算。）",
}
FACT_NAMES = {
    "years": f"{policy.first_year()}年以来每一年是否参保（在重庆、外地还是职工医保）",
    "zero_claim": "哪几年一次都没有用医保报销过",
    "reward_used": "大病保险有没有用过激励增加的额度",
    "backpaid": "断保的年份有没有补缴、补缴了几年",
    "paid_on": "这一年的医保费是哪天交的",
    "born": "孩子的出生日期",
}


def date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


CONFIRM_OPTIONS = (Option(label="对", value="yes"), Option(label="不对，改一下", value="no"))
AMEND_OPTIONS = (Option(label="其实没问题", value="yes"), Option(label="重新开始", value="restart"))
CONFLICT_OPTIONS = (Option(label="交了", value="yes"), Option(label="没交", value="no"))
RESTART_OPTIONS = (Option(label="重新开始", value="restart"),)
RESUME_OPTIONS = (Option(label="继续", value="continue"), Option(label="不用了", value="cancel"))
