"""The Neo4j Browser style and guide: generated from the vocabulary, and served cross-origin by the API."""

from __future__ import annotations

import html.parser
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.api.routes.browser import GUIDE_BASE_URL, guide_path
from app.main import app
from graph_schema.generate import (
    EDGE_STROKES,
    GENERATED,
    LEVEL_LABELS,
    NATURE_LABELS,
    NATURE_PALETTE,
    REL_TYPES,
    browser_grass,
)
from graph_schema.vocabulary import LEVEL_ORDER, EdgeKind, Nature


def parse_grass(text: str) -> dict[str, dict[str, str]]:
    """Selector -> declarations, read the way Neo4j Browser reads ``:style`` text.

    A port of the Browser's ``parseGrassCSS`` (shared/services/grassUtils.ts): quotes toggle a string
    in which braces are kept (unquoted, the braces of ``{name}`` would be dropped), quotes themselves
    are dropped, and a declaration is kept only when it splits on ':' into exactly two parts.
    """
    rules: dict[str, str] = {}
    in_string = in_props = in_binding = False
    keyword = props = ""
    for c in text:
        if c == "{" and not in_string:
            if in_props:
                in_binding = True
            else:
                in_props = True
            continue
        if c == "}" and not in_string:
            if in_binding:
                in_binding = False
            else:
                in_props = False
                rules[keyword] = props
                keyword = props = ""
            continue
        if c in "'\"":
            in_string = not in_string
            continue
        if in_props:
            props += c
        elif not c.isspace():
            keyword += c
    parsed: dict[str, dict[str, str]] = {}
    for selector, body in rules.items():
        parsed[selector] = {}
        for declaration in body.split(";"):
            parts = declaration.split(":")
            if len(parts) == 2:
                parsed[selector][parts[0].strip()] = parts[1].strip()
    return parsed


def px(value: str) -> float:
    assert value.endswith("px"), value
    return float(value[:-2])


@pytest.fixture(scope="module")
def style() -> dict[str, dict[str, str]]:
    return parse_grass((GENERATED / "browser.grass").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------------- the style


def test_committed_style_is_the_generated_one() -> None:
    assert (GENERATED / "browser.grass").read_text(encoding="utf-8") == browser_grass()


def test_every_declaration_survives_the_browser_parser(style: dict[str, dict[str, str]]) -> None:
    """A value holding ':' or a stray quote would be dropped silently by the Browser."""
    text = browser_grass()
    declared = len(re.findall(r"^\s+[a-z-]+: .*;$", text, flags=re.MULTILINE))
    assert sum(len(props) for props in style.values()) == declared
    assert "/*" not in text  # the Browser's parser would glue a comment onto the next selector


@pytest.mark.parametrize("nature", list(Nature))
def test_every_nature_has_its_own_colour(style: dict[str, dict[str, str]], nature: Nature) -> None:
    rule = style[f"node.{NATURE_LABELS[nature]}"]
    assert rule["color"] == NATURE_PALETTE[nature].fill
    others = [style[f"node.{NATURE_LABELS[n]}"]["color"] for n in Nature if n is not nature]
    assert rule["color"] not in others


@pytest.mark.parametrize("kind", list(EdgeKind))
def test_every_edge_kind_has_colour_width_and_mode_caption(style: dict[str, dict[str, str]], kind: EdgeKind) -> None:
    rule = style[f"relationship.{REL_TYPES[kind]}"]
    assert rule["color"] == EDGE_STROKES[kind].colour
    assert px(rule["shaft-width"]) == EDGE_STROKES[kind].width_px
    assert rule["caption"] == "{mode}"


def test_authority_is_drawn_thickest_and_coordination_thinnest(style: dict[str, dict[str, str]]) -> None:
    widths = {kind: px(style[f"relationship.{REL_TYPES[kind]}"]["shaft-width"]) for kind in EdgeKind}
    assert max(widths, key=lambda k: widths[k]) is EdgeKind.AUTHORITY
    assert min(widths, key=lambda k: widths[k]) is EdgeKind.COORDINATION
    assert len({widths[EdgeKind.AUTHORITY], widths[EdgeKind.COORDINATION]}) == 2


def test_circles_shrink_down_the_levels_political_biggest(style: dict[str, dict[str, str]]) -> None:
    sizes = [px(style[f"node.{LEVEL_LABELS[level]}"]["diameter"]) for level in LEVEL_ORDER]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] > sizes[1]  # political alone at the top


def test_organs_are_captioned_acronym_first(style: dict[str, dict[str, str]]) -> None:
    assert style["node.Organ"]["caption"].startswith("{acronym}")


def test_general_rules_come_before_the_ones_they_refine(style: dict[str, dict[str, str]]) -> None:
    """The Browser applies rules in order, later ones winning: `node` first, natures after levels."""
    order = list(style)
    assert order[0] == "node" and order.index("node.Organ") < order.index(f"node.{LEVEL_LABELS[LEVEL_ORDER[0]]}")
    assert order.index("relationship") < min(order.index(f"relationship.{t}") for t in REL_TYPES.values())


# --------------------------------------------------------------------------------------------- the guide


class _Guide(html.parser.HTMLParser):
    """The slides of a Browser guide and, per slide, its runnable blocks (name, text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.slides: list[list[tuple[str | None, str]]] = []
        self._block: list[str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "slide":
            self.slides.append([])
        if tag == "pre" and "runnable" in (a.get("class") or "").split():
            self._block = [a.get("data-check"), ""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre" and self._block is not None:
            name, text = self._block
            self.slides[-1].append((name, text or ""))
            self._block = None

    def handle_data(self, data: str) -> None:
        if self._block is not None:
            self._block[1] = (self._block[1] or "") + data


def read_guide(text: str) -> _Guide:
    guide = _Guide()
    guide.feed(text)
    return guide


@pytest.fixture(scope="module")
def guide() -> _Guide:
    return read_guide(guide_path().read_text(encoding="utf-8"))


def test_guide_is_in_the_browser_slide_format(guide: _Guide) -> None:
    tags = [(tag, (attrs.get("class") or "")) for tag, attrs in guide.tags]
    assert tags[0] == ("article", "guide")
    assert tags[1][0] == "carousel" and "deck" in tags[1][1].split()
    assert len(guide.slides) >= 6
    for tag, attrs in guide.tags:
        if tag == "slide":
            assert attrs.get("class") == "row-fluid"


def test_every_slide_has_something_to_run_and_every_block_a_check_name(guide: _Guide) -> None:
    """tests/test_neo4j_browser.py runs each named block against the loaded graph."""
    names = [name for slide in guide.slides for name, _ in slide]
    assert all(slide for slide in guide.slides)
    assert None not in names and len(names) == len(set(names))


def test_guide_styles_from_the_served_style_url(guide: _Guide) -> None:
    first = dict(guide.slides[0])
    assert first["style"] == f":style {GUIDE_BASE_URL}neo4j/style.grass"


# --------------------------------------------------------------------------------------------- the API


@pytest.fixture(scope="module")
def api() -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def test_style_is_served_as_text_to_any_origin(api: TestClient) -> None:
    r = api.get("/neo4j/style.grass", headers={"Origin": "http://127.0.0.1:7474"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    assert r.headers["access-control-allow-origin"] == "*"
    assert r.text == (GENERATED / "browser.grass").read_text(encoding="utf-8")


def test_guide_is_served_as_html_to_any_origin_with_links_to_this_server(api: TestClient) -> None:
    r = api.get("/neo4j/guide.html", headers={"Origin": "http://127.0.0.1:7474"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["access-control-allow-origin"] == "*"
    served = read_guide(r.text)
    assert dict(served.slides[0])["style"] == ":style http://testserver/neo4j/style.grass"
    assert len(served.slides) == len(read_guide(guide_path().read_text(encoding="utf-8")).slides)


@pytest.mark.parametrize("path", ["/neo4j/style.grass", "/neo4j/guide.html"])
@pytest.mark.parametrize("asked", ["cache-control,pragma", "baggage,cache-control,pragma,sentry-trace", None])
def test_preflight_allows_the_headers_the_browser_sends(api: TestClient, path: str, asked: str | None) -> None:
    """Neo4j Browser fetches guides with Cache-Control and Pragma headers, and its Sentry tracing
    adds sentry-trace and baggage to some fetches: each of these needs a preflight to pass."""
    headers = {"Origin": "http://127.0.0.1:7474", "Access-Control-Request-Method": "GET"}
    if asked is not None:
        headers["Access-Control-Request-Headers"] = asked
    r = api.options(path, headers=headers)
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == "*"
    allowed = {h.strip().lower() for h in r.headers["access-control-allow-headers"].split(",")}
    assert set((asked or "cache-control,pragma").split(",")) <= allowed
    assert "GET" in r.headers["access-control-allow-methods"]


def test_preflight_does_not_echo_what_is_not_a_header_list(api: TestClient) -> None:
    r = api.options(
        "/neo4j/guide.html",
        headers={
            "Origin": "http://x",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "a\x01b",
        },
    )
    assert r.headers["access-control-allow-headers"] == "Cache-Control, Pragma, sentry-trace, baggage"


def test_other_routes_stay_closed_to_other_origins(api: TestClient) -> None:
    r = api.get("/alliances", headers={"Origin": "http://127.0.0.1:7474"})
    assert r.status_code == 200
    assert "access-control-allow-origin" not in r.headers
