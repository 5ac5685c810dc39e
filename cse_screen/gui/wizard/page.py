"""Opening the wizard as a page of the main window: new, or resuming the child's draft."""

from __future__ import annotations

from cse_screen.gui.context import AppContext
from cse_screen.gui.wizard.wizard import ScreeningWizard
from cse_screen.storage.records import EventRecord
from cse_screen.storage.services.drafts import DraftController
from cse_screen.storage.services.events import trigger_for


def _controller(ctx: AppContext, child_id: int, trigger: str | None) -> DraftController:
    """The child's unfinished screening if there is one (never two drafts), else a new one."""
    store = ctx.require_store()
    lock = ctx.runner.db_lock
    child = ctx.read(lambda s: s.children.get(child_id))
    drafts = ctx.read(lambda s: s.screenings.drafts())
    mine = [d for d in drafts if d.child_id == child_id]
    if mine:
        return DraftController.resume(store.screenings, mine[0].id, lock, child)
    taken = ctx.read(lambda s: s.screenings.take_over(child_id))
    if taken is not None:
        # A draft left by the child's previous worker: continued, never replaced by a blank one.
        if ctx.nav is not None:
            ctx.nav.notify(handed_over_words(taken.child_ref, len(taken.answers)))
        return DraftController.resume(store.screenings, taken.id, lock, child)
    event = _due_event(ctx, child_id) if trigger is None else None
    controller = DraftController.start(
        store.screenings,
        child_id,
        ctx.questionnaire_for_new(),
        trigger_for(event.kind) if event is not None else trigger,
        lock,
        child,
        count_events=lambda kind, up_to, days: ctx.read(
            lambda s: s.events.count_recent(child_id, kind, up_to, days)
        ),
    )
    controller.trigger_event = event
    return controller


def handed_over_words(case_ref: str, answered: int) -> str:
    """What the new worker is told on continuing a screening someone else started."""
    kept = f"its {answered} answer{'s are' if answered != 1 else ' is'} kept"
    return (
        f"Continuing the unfinished screening for {case_ref} that its previous worker started; "
        f"{kept}."
    )


def _due_event(ctx: AppContext, child_id: int) -> EventRecord | None:
    """The event that made the child due (a missing episode, say), whose kind is the trigger
    the worker would otherwise type again; None leaves storage's default (initial or review)."""
    event = ctx.read(lambda s: s.events.due_event(child_id))
    return event if event is not None and trigger_for(event.kind) is not None else None


def open_screening(
    ctx: AppContext, child_id: int, trigger: str | None = None
) -> ScreeningWizard | None:
    """Start (or resume) the child's screening in the main window; returns the wizard."""
    try:
        controller = _controller(ctx, child_id, trigger)
    except Exception as exc:
        ctx.show_error(None, exc)
        return None
    return show_wizard(ctx, controller)


def resume_screening(ctx: AppContext, screening_id: int) -> ScreeningWizard | None:
    """Reopen a draft (or a returned screening) by id, under its own instrument version."""
    store = ctx.require_store()
    try:
        record = ctx.read(lambda s: s.screenings.get(screening_id))
        child = ctx.read(lambda s: s.children.get(record.child_id))
        controller = DraftController.resume(
            store.screenings, screening_id, ctx.runner.db_lock, child
        )
    except Exception as exc:
        ctx.show_error(None, exc)
        return None
    return show_wizard(ctx, controller)


def show_wizard(ctx: AppContext, controller: DraftController) -> ScreeningWizard:
    store = ctx.require_store()
    controller.today = store.context.today
    controller.clock_note = getattr(store, "clock_warning", None)
    wizard = ScreeningWizard(
        controller, on_error=lambda exc: ctx.show_error(wizard, exc), runner=ctx.runner
    )
    ctx.signals.locked.connect(wizard.on_locked)

    def closed(_screening_id: int) -> None:
        ctx.signals.locked.disconnect(wizard.on_locked)
        ctx.signals.dataChanged.emit("screenings")
        if ctx.nav is not None:
            ctx.nav.close_page(wizard)

    def submitted(_screening_id: int) -> None:
        if ctx.nav is not None:
            ctx.nav.notify(f"Screening for {controller.record.child_ref} submitted")
        closed(_screening_id)

    def discarded(_screening_id: int) -> None:
        if ctx.nav is not None:
            ctx.nav.notify(f"Draft screening for {controller.record.child_ref} discarded")
        closed(_screening_id)

    wizard.closed.connect(closed)
    wizard.submitted.connect(submitted)
    wizard.discarded.connect(discarded)
    if ctx.nav is not None:
        ctx.nav.open_page(wizard)
    return wizard
