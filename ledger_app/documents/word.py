"""Word output: fill a docxtpl template, refuse a broken one, check the result before handing it over.

A clerk may replace a shipped template (``templates/<name>.docx``) with their committee's own
layout by putting a copy of the same name in ``<data folder>/templates``; that copy wins. Rendering
uses autoescape (a remark with ``<`` or ``&`` prints as typed) and StrictUndefined, so a
placeholder the context does not know is refused with its name instead of printing blank.
"""

import functools
import shutil
from pathlib import Path

from .. import private
from ..db import data_dir
from ..errors import LedgerError
from ..paths import shipped_templates_dir
from . import atomic_output

LEFTOVER_MARKS = ("{{", "}}", "{%", "%}")


def custom_templates_dir() -> Path:
    return data_dir() / "templates"


def template_path(name: str) -> Path:
    """The template a document is made from: the clerk's copy when there is one, else the shipped one."""
    custom = custom_templates_dir() / name
    return custom if custom.exists() else shipped_templates_dir() / name


def restore_default_template(name: str) -> None:
    """Drop the clerk's copy so the shipped template is used again."""
    (custom_templates_dir() / name).unlink(missing_ok=True)


def copy_template_for_editing(name: str) -> Path:
    """Put a copy of the shipped template in the clerk's folder (if none yet) and return its path."""
    target = custom_templates_dir() / name
    if not target.exists():
        private.make_dirs(target.parent)
        shutil.copyfile(shipped_templates_dir() / name, target)
    return target


COMPILED_PARTS_KEPT = 32  # compiled template parts kept per process (a template has two or three)


@functools.cache
def _environment():
    """One sandboxed Jinja environment per process that compiles each template part once.

    docxtpl hands ``from_string`` the same XML on every render of a template, and compiling it is
    about a quarter of a small document's time; the year archive renders a template a hundred
    times. The key is the part's source text, so a clerk's edited template is compiled anew.
    """
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class Environment(SandboxedEnvironment):
        compiled: dict = {}

        def from_string(self, source, globals=None, template_class=None):
            if globals is not None or template_class is not None or not isinstance(source, str):
                return super().from_string(source, globals, template_class)
            template = self.compiled.get(source)
            if template is None:
                if len(self.compiled) >= COMPILED_PARTS_KEPT:
                    self.compiled.clear()
                template = self.compiled[source] = super().from_string(source)
            return template

    return Environment(autoescape=True, undefined=StrictUndefined)


_VARIABLES: dict[tuple[str, int, int], frozenset[str]] = {}


def _template_variables(template, path: Path, env) -> frozenset[str]:
    """The placeholders a template uses, parsed once per version of the file (a third of the time
    of a small document goes into this parse); a clerk's edit changes the key and is parsed anew."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _VARIABLES:
        _VARIABLES[key] = frozenset(template.get_undeclared_template_variables(env))
    return _VARIABLES[key]


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RUN_TEXT = {_W + "t": None, _W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n"}


def document_text(path: Path) -> str:
    """All the text of a .docx, a line per paragraph: the body (tables, nested ones and text boxes
    included), every header and footer.

    Read straight from the package's XML with lxml: reopening the file with python-docx and
    walking its paragraphs took as long as writing a small document (the 党课 minutes, 5,000 names).
    """
    import zipfile

    from lxml import etree

    lines: list[str] = []
    with zipfile.ZipFile(path) as package:
        names = sorted(package.namelist())
        parts = ["word/document.xml"] + [n for n in names if n.startswith(("word/header", "word/footer"))
                                         and n.endswith(".xml")]
        for name in parts:
            root = etree.fromstring(package.read(name))
            for paragraph in root.iter(_W + "p"):
                pieces = []
                for element in paragraph.iter(*_RUN_TEXT):
                    text = _RUN_TEXT[element.tag]
                    if text is None:
                        pieces.append(element.text or "")
                    elif element.getparent().tag == _W + "r":  # not a tab stop of the paragraph's style
                        pieces.append(text)
                lines.append("".join(pieces))
    return "\n".join(lines)


def render_docx(template_name: str, context: dict, out: Path, must_contain: list[str]) -> Path:
    """Fill the template with ``context`` into ``out``; nothing is written when anything is wrong."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError, UndefinedError

    path = template_path(template_name)
    if not path.exists():
        raise LedgerError(f"找不到模板文件“{template_name}”（应在 {path.parent}）。")
    where = "自定义模板" if path.parent == custom_templates_dir() else "模板"
    env = _environment()
    try:
        template = DocxTemplate(str(path))
        unknown = _template_variables(template, path, env) - set(context)
    except TemplateSyntaxError as exc:
        raise LedgerError(f"{where}“{path.name}”中的标记有语法错误：{exc.message}。请检查 {{{{ }}}} 和 {{% %}} 是否成对。") from exc
    except Exception as exc:  # not a Word file, or damaged
        raise LedgerError(f"{where}“{path.name}”无法读取（不是有效的 Word 文件？）：{exc}") from exc
    if unknown:
        names = "、".join(sorted(unknown))
        raise LedgerError(f"{where}“{path.name}”中有未知的占位符：{names}。请对照模板说明改正。")
    try:
        template.render(context, env, autoescape=True)
    except UndefinedError as exc:
        raise LedgerError(f"{where}“{path.name}”中有未知的占位符：{exc.message}。请对照模板说明改正。") from exc
    except TemplateSyntaxError as exc:
        raise LedgerError(f"{where}“{path.name}”中的标记有语法错误：{exc.message}。") from exc

    with atomic_output(out) as partial:
        template.save(str(partial))
        check_document(document_text(partial), must_contain, path.name)
    return Path(out)


def check_document(text: str, must_contain: list[str], what: str) -> None:
    """A generated document must have no leftover placeholder and must name what it is about."""
    for mark in LEFTOVER_MARKS:
        if mark in text:
            raise LedgerError(f"生成的文件中仍有未填写的占位符标记“{mark}”（模板“{what}”），文件未保存。")
    for needed in must_contain:
        if needed and needed not in text:
            raise LedgerError(f"生成的文件中缺少“{needed}”（模板“{what}”可能缺少相应占位符），文件未保存。")
