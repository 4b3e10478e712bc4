"""The one text pipeline shared by intent matching, FAQ search and slot extraction.

normalise(): NFKC (full-width digits and letters become ASCII), traditional -> simplified
(OpenCC t2s), lower case, a phrase typed in toneless pinyin read as the words it spells
(intents/pinyin.py: "duanbao yinian deng duojiu" -> 断保一年等多久; English is left alone), then
Chongqing dialect and colloquial forms read as standard Mandarin (intents/data/dialect.yaml:
好多 -> 多少, 咋个 -> 怎么, 报得到 -> 能报销 ...), a one-character slip of a domain term read
as the term by its sound or shape (intents/sounds.py: 缴废 -> 缴费),
synonyms mapped to one canonical vocabulary (intents/data/synonyms.yaml), and months in Chinese
numerals written in digits (二月份 -> 2月份). Punctuation and digits are kept, because
slot extraction reads "2025-12-10", "25、26年" and "2025到2027年".

tokens(): normalise, then jieba with a trimmed copy of jieba's dictionary
(intents/data/jieba_small.txt, see intents/build_dict.py) plus the domain dictionary
(intents/data/domain_dict.txt), with punctuation, white space and filler words
(intents/data/stopwords.txt) removed. The tokenizer's cache lives in a writable cache
directory (YIBAO_CACHE_DIR, else $XDG_CACHE_HOME/yibao, else ~/.cache/yibao, else the
system temporary directory), so a cold `yibao ask` loads it in about 0.1 s.

compact(): the normalised text without punctuation, white space or leading filler
("请问一下", "你好，我想问"): the string fuzzy matching sees.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.metadata
import logging
import os
import pickle
import re
import shutil
import stat
import sys
import tempfile
import unicodedata
from functools import lru_cache
from pathlib import Path

import opencc
import yaml
from pydantic import BaseModel

from intents.pinyin import DOMAIN, EVERYDAY, RUN, VARIANT, PinyinReader
from intents.sounds import Repairer

DATA = Path(__file__).parent / "data"
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
# Politeness and filler a person puts around a question; removed by compact() only where it
# cannot be part of the question itself (at the start, or particles at the end).
_LEAD_FILLER = re.compile(
    r"^(?:(?:你好|您好|喂|哈喽|嗨|请问|请教|麻烦|打扰|问下|问一下|想问|我想问|我想问下|我想问一下|我想问问|想问问|"
    r"想咨询|我想咨询|咨询一下|我想了解|了解一下|一下|那个|就是|哈|嗯|啊|呃)+)"
)
_TAIL_FILLER = re.compile(r"(?:呢|吗|啊|呀|吧|嘛|哦|噻|哈|喃|不嘛|嘞|咧|哇)+$")
_REPEATED = re.compile(r"^(.{1,3}?)\1+$")  # 对对对, 没有没有, 好的好的: said once
# A month written in Chinese numerals (二月份, 十二月) is written in digits, as most people type
# it, so that 二月 and 2月 are one word; 两个月 / 三个月 (durations) are left alone.
_MONTH = re.compile(r"(?<![〇零一二三四五六七八九十两几第每\d])(十[一二]|[一二三四五六七八九十])(?=月)")
_MONTH_DIGITS = {
    "一": "1",
    "二": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
    "十": "10",
    "十一": "11",
    "十二": "12",
}

# A span of one to nine years or months written as a numeral ("断保四年", "三个月") reads as
# its digit ("断保4年", "3个月"), as the documents write it; a numeral inside a year
# (二〇二五年, 二五年) or after 第/每/几 is left alone.
# (下一年, 这一年, 同一年 name a year, not a count of one)
_SPAN = re.compile(r"(?<![〇零一二三四五六七八九十两几第每\d])((?<![上下这那同另])一|[两二三四五六七八九])(?=年|个月)")
# Several years of this decade said by their last two digits in numerals, in one run
# ("二五二六两年"), read as the list people type ("25、26两年"); one (二五年) is read by the slots.
_SHORT_YEARS = re.compile(r"(?<![〇零一二三四五六七八九十两几第每\d])((?:二[四五六七八九]){2,4})(?=[两三四]?年)")
_SPAN_DIGITS = {
    "一": "1",
    "两": "2",
    "二": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
}


def _safe_loader():
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path):
    """YAML through the C loader when PyYAML has it (ten times faster at start-up)."""
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_safe_loader())  # noqa: S506 - a safe loader


@lru_cache(maxsize=1)
def _converter():
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def synonym_table() -> dict[str, str]:
    """variant -> canonical, from synonyms.yaml."""
    raw = load_yaml(DATA / "synonyms.yaml") or {}
    table: dict[str, str] = {}
    for canonical, variants in raw.items():
        for variant in variants or []:
            table[str(variant)] = str(canonical)
    for canonical in raw:
        # a canonical word maps to itself, so that a shorter variant inside it (大病保 in
        # 大病保险) never rewrites it: the alternation tries the longest first
        table.setdefault(str(canonical), str(canonical))
    return table


@lru_cache(maxsize=1)
def _synonym_pattern() -> re.Pattern[str] | None:
    table = synonym_table()
    if not table:
        return None
    alternatives = sorted(table, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alternatives)))


class DialectForm(BaseModel):
    """One entry of dialect.yaml: a form people type, its standard form and an example."""

    form: str
    standard: str
    example: str
    before: str | None = None  # the next characters must match this
    not_before: str | None = None  # ... must not match this
    not_after: str | None = None  # the characters before must not end with this
    after: str | None = None  # the characters before must end with this
    reverse: bool = True  # says its standard form everywhere (robustness tests use it)


@lru_cache(maxsize=1)
def dialect_forms() -> tuple[DialectForm, ...]:
    """The dialect lexicon, longest forms first (a form with a context before one without)."""
    raw = load_yaml(DATA / "dialect.yaml") or {}
    forms = [DialectForm.model_validate(e) for e in raw.get("entries") or []]
    return tuple(
        sorted(forms, key=lambda f: (-len(f.form), f.before is None and f.not_before is None and f.after is None))
    )


@lru_cache(maxsize=1)
def _dialect_pattern() -> tuple[re.Pattern[str], dict[str, list[tuple]]]:
    """One alternation of every form, and per form its entries with their compiled contexts."""

    def ending(rx: str | None) -> re.Pattern[str] | None:
        return re.compile(f"(?:{rx})$") if rx else None

    by_form: dict[str, list] = {}
    for f in dialect_forms():
        by_form.setdefault(f.form, []).append(
            (
                f,
                re.compile(f.before) if f.before else None,
                re.compile(f.not_before) if f.not_before else None,
                ending(f.not_after),
                ending(f.after),
            )
        )
    alternatives = sorted(by_form, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alternatives))), by_form


def read_dialect(text: str) -> str:
    """Dialect and colloquial forms in their standard form, each in its context (dialect.yaml)."""
    pattern, by_form = _dialect_pattern()

    def standard(m: re.Match[str]) -> str:
        rest, done = text[m.end() :], text[: m.start()]
        for form, before, not_before, not_after, after in by_form[m.group(0)]:
            if before is not None and not before.match(rest):
                continue
            if not_before is not None and not_before.match(rest):
                continue
            if not_after is not None and not_after.search(done):
                continue
            if after is not None and not after.search(done):
                continue
            return form.standard
        return m.group(0)

    return pattern.sub(standard, text)


def repair_terms() -> list[str]:
    """The words a slip is repaired to: the domain dictionary and the synonym table's words."""
    table = synonym_table()
    return [*domain_words(), *table, *table.values()]


@lru_cache(maxsize=1)
def repairer() -> Repairer:
    """The typo repairer of the domain terms, from the on-disk cache when its inputs are unchanged."""
    terms = sorted(set(repair_terms()))
    shapes = (DATA / "shapes.txt").read_text(encoding="utf-8")
    code = (Path(__file__).parent / "sounds.py").read_bytes()
    digest = hashlib.sha1("\n".join(terms).encode() + shapes.encode() + code).hexdigest()[:16]
    name = f"sounds-{digest}.pickle"
    cached = read_cached(name)
    if isinstance(cached, Repairer):
        return cached
    built = Repairer.build(terms, shapes.splitlines())
    write_cached(name, built, replaces="sounds-*.pickle")
    return built


def _is_word(word: str) -> bool:
    tok = tokenizer()
    tok.check_initialized()
    return tok.FREQ.get(word, 0) > 0


def _word_spans(text: str) -> list[tuple[int, int]]:
    return [(start, end) for _, start, end in tokenizer().tokenize(text, HMM=False)]


def pinyin_words() -> list[tuple[str, int]]:
    """The words a phrase typed in pinyin is read as, each with its priority: the domain
    dictionary and the synonym table's canonical forms, its variants, the everyday words (of
    two words one spelling and one priority, the first listed wins: 在 before 再)."""
    table = synonym_table()
    everyday = (DATA / "pinyin_words.txt").read_text(encoding="utf-8")
    domain = sorted({*domain_words(), *table.values()})  # one order whatever the hash seed: one digest
    return [
        *((w, DOMAIN) for w in domain),
        *((w, VARIANT) for w in sorted(table)),
        *((w, EVERYDAY) for line in everyday.splitlines() for w in line.split("#", 1)[0].split()),
    ]


@lru_cache(maxsize=1)
def pinyin_reader() -> PinyinReader:
    """The reader of phrases typed in pinyin (intents.pinyin), from the on-disk cache when its
    inputs are unchanged; built on the first message holding Latin letters, not at start-up."""
    words = pinyin_words()
    code = (Path(__file__).parent / "pinyin.py").read_bytes()
    version = importlib.metadata.version("pypinyin").encode()  # its readings may change between versions
    digest = hashlib.sha1("\n".join(f"{w} {p}" for w, p in words).encode() + code + version).hexdigest()[:16]
    name = f"pinyin-{digest}.pickle"
    cached = read_cached(name)
    if isinstance(cached, PinyinReader):
        return cached
    built = PinyinReader.build(words)
    write_cached(name, built, replaces="pinyin-*.pickle")
    return built


def read_spelling(text: str) -> str:
    """A phrase typed in toneless pinyin ("duanbao yinian deng duojiu", "lian xu can bao") read
    as the words it spells (断保一年等多久, 连续参保); English and other letters are left as typed."""
    return pinyin_reader().read(text) if RUN.search(text) else text


def repair_slips(text: str) -> str:
    """A one-character slip of a domain term (缴废, 断报, 封鼎线) read as the term (intents.sounds)."""
    return repairer().repair(text, _is_word, _word_spans)


def _needs_conversion(text: str) -> bool:
    return any(ord(ch) > 0x2E7F for ch in text)


@lru_cache(maxsize=4096)
def to_simplified(text: str) -> str:
    """NFKC, then traditional -> simplified characters."""
    text = unicodedata.normalize("NFKC", text)
    if _needs_conversion(text):
        text = _converter().convert(text)
    return text


# an agent's label before what a caller asked ("来电：参保人问…", "咨询:"): not part of the question
_LABEL = re.compile(
    r"^\s*(?:市民|群众|用户|参保人|客户|家属)?(?:来电|来信|留言|咨询|提问|问题|问)(?:咨询|反映|询问)?\s*[:：]\s*"
)


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Canonical form of what a person typed; keeps digits and punctuation for slot extraction."""
    text = _LABEL.sub("", to_simplified(text or "").lower())
    text = repair_slips(read_dialect(read_spelling(text)))
    pattern = _synonym_pattern()
    if pattern is not None:
        table = synonym_table()
        text = pattern.sub(lambda m: table[m.group(0)], text)
    text = _SHORT_YEARS.sub(_short_years, text)
    text = _MONTH.sub(lambda m: _MONTH_DIGITS[m.group(1)], text)
    text = _SPAN.sub(lambda m: _SPAN_DIGITS[m.group(1)], text)
    return _SPACES.sub(" ", text).strip()


def _short_years(m: re.Match[str]) -> str:
    run = m.group(1)
    return "、".join("2" + _SPAN_DIGITS[run[i + 1]] for i in range(0, len(run), 2))


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    words = (DATA / "stopwords.txt").read_text(encoding="utf-8").split()
    return frozenset(w for w in words if w)


@lru_cache(maxsize=1)
def domain_words() -> tuple[str, ...]:
    """The words of the domain dictionary (零报销, 待遇等待期, 大病保险 ...), longest first."""
    lines = (DATA / "domain_dict.txt").read_text(encoding="utf-8").splitlines()
    words = {line.split()[0] for line in lines if line.strip()}
    return tuple(sorted(words, key=len, reverse=True))


def _private_dir(path: Path) -> bool:
    """A folder only this user can enter and change: owned by us, not a symlink, mode 0700
    (a folder of ours that is wider is narrowed; one of another user's is never used)."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(path)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            return False
        if info.st_mode & 0o077:
            os.chmod(path, 0o700)
        return os.access(path, os.W_OK)
    except OSError:
        return False


@lru_cache(maxsize=8)
def _cache_dir(candidates: tuple[str, ...]) -> Path | None:
    return next((Path(c) for c in candidates if _private_dir(Path(c))), None)


def cache_dir() -> Path | None:
    """yibao's private cache folder (created 0700 on first use), or None when none of
    $YIBAO_CACHE_DIR, $XDG_CACHE_HOME/yibao, ~/.cache/yibao can be one: the caches are then
    rebuilt in memory. Never a shared temporary folder: a pickle there could be anyone's."""
    candidates = []
    if os.environ.get("YIBAO_CACHE_DIR"):
        candidates.append(os.environ["YIBAO_CACHE_DIR"])
    if os.environ.get("XDG_CACHE_HOME"):
        candidates.append(os.path.join(os.environ["XDG_CACHE_HOME"], "yibao"))
    candidates.append(os.path.join(os.path.expanduser("~"), ".cache", "yibao"))
    return _cache_dir(tuple(candidates))


def read_cached(name: str) -> object | None:
    """What was pickled under `name` in the private cache folder; None when absent, unreadable,
    or not a regular file of ours that only we can write (the folder is checked first)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        fd = os.open(folder / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with open(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
            return None
        try:
            return pickle.load(fh)  # noqa: S301 - our own file in our own 0700 folder, checked above
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, ImportError, IndexError):
            return None


def write_cached(name: str, obj: object, *, replaces: str | None = None) -> None:
    """Pickle `obj` under `name` in the private cache folder, atomically (a process never reads
    half a file), the file 0600; `replaces` is a glob of older versions to remove. Without a
    private folder nothing is written."""
    folder = cache_dir()
    if folder is None:
        return
    path = folder / name
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with open(fd, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for stale in path.parent.glob(replaces) if replaces else ():
            if stale != path:
                stale.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError):
        tmp.unlink(missing_ok=True)


@lru_cache(maxsize=1)
def _scratch_dir() -> str:
    """A folder of this process's own (mkdtemp: 0700, a fresh name), removed at exit."""
    path = tempfile.mkdtemp(prefix="yibao-")
    atexit.register(shutil.rmtree, path, True)
    return path


def _import_jieba():
    """jieba, imported without pkg_resources: jieba only uses it to locate its own data files
    (and falls back to plain paths without it), but importing it costs about 80 ms of every
    cold start. It is hidden for this one import only; anyone may import it afterwards."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    hide = "pkg_resources" not in sys.modules
    if hide:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes the import fail
    try:
        import jieba  # noqa: PLC0415 - imported with pkg_resources hidden (80 ms of every cold start)
    finally:
        if hide:
            sys.modules.pop("pkg_resources", None)
    return jieba


@lru_cache(maxsize=1)
def tokenizer():
    """A jieba tokenizer of our own (not the global one): trimmed dictionary + domain words."""
    jieba = _import_jieba()
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer(str(DATA / "jieba_small.txt"))
    tok.tmp_dir = str(cache_dir() or _scratch_dir())  # jieba's own cache (marshal: data, not code)
    tok.load_userdict(str(DATA / "domain_dict.txt"))
    for line in (DATA / "not_words.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            tok.del_word(line.strip())  # a general word that swallows a verb of the subject
    return tok


@lru_cache(maxsize=4096)
def _cut(clean: str) -> tuple[str, ...]:
    stop = stopwords()
    out = []
    for word in tokenizer().lcut(clean, HMM=True):
        word = _PUNCT.sub("", word)
        if word and word not in stop:
            out.append(word)
    return tuple(out)


def tokens(text: str, *, normalised: bool = False) -> list[str]:
    """Content words of a text: normalised, cut by jieba, without punctuation or filler."""
    clean = text if normalised else normalise(text)
    return list(_cut(clean))


def compact(text: str, *, normalised: bool = False) -> str:
    """The normalised text without punctuation, white space or surrounding filler."""
    clean = text if normalised else normalise(text)
    bare = _PUNCT.sub("", clean)
    stripped = _TAIL_FILLER.sub("", _LEAD_FILLER.sub("", bare)) or bare
    return _REPEATED.sub(r"\1", stripped)
