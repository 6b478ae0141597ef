"""A module's stylesheet never restyles the page frame (header, language form, menu).

Every page loads the core's ``pamong.css`` and then its module's; a module rule for a class the
frame uses applies to the frame too. The permits stylesheet's chart ``.bar`` once gave the header's
``.bar`` a height of .8rem and the language form lay over the menu on a 360 px phone.
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRAME = [ROOT / "templates" / "layout.html", ROOT / "templates" / "_account_items.html"]
# classes the frame sets that modules may also use for the same meaning (a form shown inline, a
# button drawn as a link, text for screen readers only), styled by the core alone
SHARED = {"inline", "link", "sr", "right"}


def frame_classes() -> set[str]:
    found = set()
    for path in FRAME:
        for value in re.findall(r'class="([^"{]*)"', path.read_text()):
            found.update(value.split())
    return found


def module_rules() -> list[tuple[str, str]]:
    rules = []
    for css in sorted(ROOT.glob("modules/*/static/*.css")):
        text = re.sub(r"/\*.*?\*/", "", css.read_text(), flags=re.S)
        for selectors in re.findall(r"([^{}]+)\{", text):
            rules += [(css.relative_to(ROOT).as_posix(), s.strip()) for s in selectors.split(",")]
    return rules


def test_the_frame_has_classes_of_its_own():
    assert {"site-bar", "brand", "lang"} <= frame_classes()


def test_no_module_stylesheet_styles_a_class_of_the_frame():
    own = frame_classes() - SHARED
    clashes = [(path, selector) for path, selector in module_rules()
               for name in own if re.search(rf"\.{re.escape(name)}(?![\w-])", selector)]
    assert clashes == []


def test_the_check_sees_a_clash(tmp_path, monkeypatch):
    """The check itself: a module rule for ``.site-bar`` is found."""
    fake = tmp_path / "modules" / "fake" / "static"
    fake.mkdir(parents=True)
    (fake / "fake.css").write_text("/* a chart */ .site-bar, .x { height: .8rem }")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert ("modules/fake/static/fake.css", ".site-bar") in module_rules()
