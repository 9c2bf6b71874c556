"""The home screen: packs → topics → templates with their counts, today's figures, the way in.

Enter (or s) on a tree node studies just that node; c crams it. The figures come from
``quizapp.study.session.overview``. Problems found at start-up (a progress file moved aside,
one that could not be opened, packs that were skipped) are shown here, never raised.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from quizapp.i18n import t
from quizapp.tui.localize import localize_bindings
from quizapp.tui.widgets.footer import Footer

ISSUES_SHOWN = 6


class PackTree(Tree[Any]):
    """Packs → topics → templates; Enter asks to study the node under the cursor."""

    BINDINGS = [
        Binding("enter", "study_cursor", "Study this", id="home.study_node"),
    ]

    def __init__(self, label: Any, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        localize_bindings(self, self.app.lang)

    class StudyRequested(Message):
        def __init__(self, scope: Any) -> None:
            super().__init__()
            self.scope = scope

    def action_study_cursor(self) -> None:
        node = self.cursor_node
        if node is not None and node.data is not None:
            self.post_message(self.StudyRequested(node.data))


MENU = (
    ("s", "study", "screen.study"),
    ("c", "cram", "screen.cram"),
    ("e", "exam", "screen.exam"),
    ("t", "stats", "screen.stats"),
    ("o", "settings", "screen.settings"),
    ("F1", "help", "app.help"),
)


def menu_markup(lang: str) -> str:
    """The menu: one clickable line per way in, with its key (the keys work anywhere here).

    Plain lines instead of Buttons keep the first frame light (Button's stylesheet alone
    is a quarter of the CSS Textual parses at start-up)."""
    lines = []
    for key, name, action in MENU:
        label = escape(t(f"home.menu.{name}", lang))
        lines.append(f"[@click={action}][b]{key:>2}[/b]  {label}[/]")
    return "\n".join(lines)


def _label(title: str, counts: str) -> Text:
    return Text.assemble((title, "bold"), "  ", (counts, "dim"))


class HomeScreen(Screen[None]):
    """The first screen."""

    BINDINGS = [
        Binding("s", "study", "Study", id="home.study"),
        Binding("c", "cram", "Cram", id="home.cram"),
        Binding("e", "exam", "Mock exam", id="home.exam"),
        Binding("t", "stats", "Statistics", id="home.stats"),
        Binding("o", "settings", "Settings", id="home.settings"),
        Binding("question_mark", "app.help", "Help", id="home.help", show=False),
    ]

    def __init__(self) -> None:
        self._pending: dict[Any, Any] = {}
        """Closed pack and topic nodes whose children are added when first opened."""
        self._counts: dict[Any, Any] = {}
        """Scope → (due, new, mastered) of every node of the overview."""
        super().__init__()
        self.overview: Any = None
        localize_bindings(self, self.app.lang)

    @property
    def lang(self) -> str:
        return self.app.lang

    def compose(self) -> ComposeResult:
        yield Static(id="home-title", markup=False)
        yield Static(id="home-banner", markup=False)
        with Horizontal(id="home-main"):
            with Vertical(id="home-left"):
                yield PackTree(Text(t("home.loading", self.lang)), id="packs")
                yield Static(id="tree-help", markup=False)
            with Vertical(id="home-side"):
                yield Static(id="today", markup=False)
                yield Static(id="home-menu")
                yield Static(id="selection", markup=False)
        yield Static(id="home-issues", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        tree = self.query_one(PackTree)
        tree.show_root = True
        tree.focus()
        self._render_texts()
        self.refresh_overview()
        notice = getattr(self.app.store, "notice", None)
        if notice is not None:
            self.notify(notice.text(self.lang), severity="warning", timeout=20)
        if self.app.store_problem:
            self.notify(t("app.not_saving", self.lang, reason=self.app.store_problem),
                        severity="error", timeout=20)
        self.call_after_refresh(self.app.first_frame)

    def on_screen_resume(self) -> None:
        self.refresh_overview()

    def apply_language(self, lang: str) -> None:
        localize_bindings(self, lang)
        localize_bindings(self.query_one(PackTree), lang)
        self._render_texts()
        self.refresh_overview()

    # ------------------------------------------------------------------ content

    def _render_texts(self) -> None:
        lang = self.lang
        self.app.title = t("app.title", lang)
        self.query_one("#home-title", Static).update(t("app.title", lang))
        self.query_one("#tree-help", Static).update(t("home.tree_help", lang))
        self.query_one("#home-menu", Static).update(menu_markup(lang))
        banner = []
        if self.app.store_problem:
            banner.append(t("app.not_saving", lang, reason=self.app.store_problem))
        notice = getattr(self.app.store, "notice", None)
        if notice is not None:
            banner.append(notice.text(lang))
        widget = self.query_one("#home-banner", Static)
        widget.update("\n".join(banner))
        widget.display = bool(banner)

    def refresh_overview(self, view: Any = None) -> None:
        """Rebuild the tree and today's figures from the store (keeps the cursor); ``view``:
        the overview when it was already made (by the loading worker)."""
        if not self.is_mounted:
            return
        app = self.app
        tree = self.query_one(PackTree)
        catalog = app.shown_catalog
        if catalog is None:
            tree.root.set_label(Text(app.catalog_error or t("home.loading", self.lang)))
            self.query_one("#today", Static).update(t("home.today", self.lang))
            self._render_issues(None)
            return
        from quizapp.study.overview import counts_label, overview
        from quizapp.study.scope import Scope

        if view is None:
            view = overview(catalog, app.scheduler, self.lang, new_limit=app.new_limit)
        self.overview = view
        self._counts = {Scope(): view.total}
        stack = list(view.fields)
        while stack:  # every node's counts, for the selection line
            node = stack.pop()
            self._counts[node.scope] = node.counts
            stack.extend(node.children)
        expanded = {n.data for n in _walk(tree.root) if n.is_expanded and n.data is not None}
        cursor = tree.cursor_node.data if tree.cursor_node is not None else None
        first_build = tree.root.data is None
        tree.clear()
        self._pending: dict[Any, Any] = {}
        if view.packs:
            tree.root.set_label(_label(t("scope.all", self.lang), counts_label(view.total,
                                                                               self.lang)))
        else:
            tree.root.set_label(Text(t("home.no_packs", self.lang)))
        tree.root.data = Scope()
        for group in view.fields:
            fnode = tree.root.add(_label(group.label, counts_label(group.counts, self.lang)),
                                  data=group.scope)
            if first_build or group.scope in expanded:
                fnode.expand()
            open_packs = expanded | ({p.scope for p in view.packs}
                                     if first_build and len(view.packs) <= SMALL_CATALOGUE
                                     else set())
            self._add_packs(fnode, group.children, open_packs)
        tree.root.expand()
        if cursor is not None:
            for node in _walk(tree.root):
                if node.data == cursor:
                    tree.move_cursor(node)
                    break
        self._render_today(view)
        self._render_issues(catalog)
        self._show_selection()

    def _add_packs(self, parent: TreeNode[Any], packs: Any, expanded: set[Any]) -> None:
        """A field's packs → topics → templates (packs open only where the learner opened
        them: with the whole syllabus, an open tree is too long to read). The nodes inside
        a closed pack or topic are added when it is first opened, which keeps the first
        fill of the tree quick with hundreds of templates."""
        for pack in packs:
            pnode = parent.add(self._node_label(pack), data=pack.scope, allow_expand=True)
            self._pending[pnode.id] = pack
            if pack.scope in expanded:
                self._fill(pnode, expanded)
                pnode.expand()

    def _node_label(self, node: Any) -> Text:
        from quizapp.study.overview import counts_label

        return _label(node.label, counts_label(node.counts, self.lang))

    def _fill(self, tnode: TreeNode[Any], expanded: set[Any] = frozenset()) -> None:  # type: ignore[assignment]
        """Add the children of a pack or topic node (once)."""
        from quizapp.study.overview import counts_label

        item = self._pending.pop(tnode.id, None)
        if item is None:
            return
        for child in item.children:
            if child.children:  # a topic
                cnode = tnode.add(self._node_label(child), data=child.scope, allow_expand=True)
                self._pending[cnode.id] = child
                if child.scope in expanded or len(self._pending) < SMALL_TREE:
                    self._fill(cnode, expanded)
                if child.scope in expanded:
                    cnode.expand()
            else:  # a template
                tnode.add_leaf(Text.assemble(child.label, "  ",
                                             (counts_label(child.counts, self.lang), "dim")),
                               data=child.scope)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Any]) -> None:
        self._fill(event.node)

    def _render_today(self, view: Any) -> None:
        from quizapp.study.overview import counts_label

        self.query_one("#today", Static).update(
            "\n".join(
                [
                    t("home.today", self.lang),
                    t("home.due_today", self.lang, n=view.due_today),
                    t("home.new_left", self.lang, n=view.new_left),
                    t("home.streak", self.lang, n=view.streak),
                    "",
                    t("home.total", self.lang, counts=counts_label(view.total, self.lang)),
                ]
            )
        )

    def _render_issues(self, catalog: Any) -> None:
        widget = self.query_one("#home-issues", Static)
        issues = list(getattr(catalog, "issues", None) or [])
        if not issues:
            widget.display = False
            return
        lines = [t("home.bad_packs", self.lang)]
        lines += ["  " + issue.format() for issue in issues[:ISSUES_SHOWN]]
        if len(issues) > ISSUES_SHOWN:
            lines.append(t("home.more_issues", self.lang, n=len(issues) - ISSUES_SHOWN))
        widget.update("\n".join(lines))
        widget.display = True

    def selected_scope(self) -> Any:
        from quizapp.study.scope import Scope

        node = self.query_one(PackTree).cursor_node
        return node.data if node is not None and node.data is not None else Scope()

    def _show_selection(self) -> None:
        catalog = self.app.shown_catalog
        if catalog is None:
            return
        from quizapp.study.overview import counts_label

        scope = self.selected_scope()
        text = t("home.selected", self.lang, scope=scope.describe(catalog, self.lang))
        counts = self._counts.get(scope)
        if counts is not None:  # the tree's label may be cut on a narrow screen
            text += "\n" + counts_label(counts, self.lang)
        self.query_one("#selection", Static).update(text)

    # ------------------------------------------------------------------ events

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Any]) -> None:
        self._show_selection()

    def on_pack_tree_study_requested(self, message: PackTree.StudyRequested) -> None:
        self.app.start_study(message.scope)


    def action_study(self) -> None:
        self.app.start_study(self.selected_scope())

    def action_cram(self) -> None:
        self.app.start_study(self.selected_scope(), cram=True)

    def action_exam(self) -> None:
        self.app.open_exam(None)

    def action_stats(self) -> None:
        self.app.open_stats()

    def action_settings(self) -> None:
        self.app.open_settings()


SMALL_CATALOGUE = 3
"""Up to this many packs, the home tree opens them at first (a small custom set-up)."""

SMALL_TREE = 8
"""With fewer closed nodes waiting than this, a pack's topics are filled at once."""


def _walk(node: TreeNode[Any]) -> list[TreeNode[Any]]:
    out = [node]
    for child in node.children:
        out.extend(_walk(child))
    return out
