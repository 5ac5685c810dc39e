"""No child's name ever reaches a window title (taskbar, Alt+Tab and screen-share previews)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def _titles() -> list[str]:
    return [w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()]


def _assert_no_names(shell, names: list[str], where: str) -> None:
    assert shell.main.windowTitle() == "cse-screen – demo", where
    for title in _titles():
        for name in names:
            for part in name.split():
                assert part not in title, f"{part!r} in window title {title!r} ({where})"


def test_no_page_puts_a_child_name_in_any_window_title(qtbot, shell, demo) -> None:
    from cse_screen.gui.child_record import ChildRecordPage
    from cse_screen.gui.wizard.page import open_screening

    main, ctx = shell.main, shell.ctx
    names = [name for _ref, name, _dob in demo.known_children]
    for root in ("register", "review"):
        main.show_root(root)
        qtbot.wait(50)
        _assert_no_names(shell, names, root)
    main.show_root("register")
    for ref, _name, _dob in demo.known_children:
        child = ctx.read(lambda s, ref=ref: s.children.by_ref(ref))
        page = ChildRecordPage(ctx, child.id)
        main.open_page(page)
        qtbot.wait(100)
        assert main.current_page() is page
        _assert_no_names(shell, names, f"child record {ref}")
        wizard = open_screening(ctx, child.id)
        assert wizard is not None and main.current_page() is wizard
        for step in range(len(wizard.visible_section_ids()) + 1):
            _assert_no_names(shell, names, f"wizard {ref} step {step}")
            wizard.go_next()
            qtbot.wait(10)
        _assert_no_names(shell, names, f"wizard {ref} result")
        main.show_home()
    _assert_no_names(shell, names, "home again")


def test_a_page_cannot_change_the_title(qtbot, shell, demo) -> None:
    name = demo.known_children[0][1]
    page = shell.main.root("register")
    page.window().setWindowTitle(f"{name} – record")
    assert shell.main.windowTitle() == "cse-screen – demo"
    page.setWindowTitle(name)  # a page's own title never shows in the main window
    assert name not in shell.main.windowTitle()
