"""The one way into the store: what one user may reach, one workspace of it, one workshop by link.

Three explicit handles, each made from a ``Store`` (``model.store.open_store``) and the user who
asks (``LOCAL_USER`` when the app runs without sign-in, and on the command line without
``--user``):

- ``Workspaces(store, user)``: the workspaces the user created or was added to — list, create,
  delete (to the bin), restore, purge, import — and ``open(name)`` for one of them. A workspace of
  anyone else does not exist for this user; nor do its scenarios, workshops or links.
- ``Library(store, workspace, user)``: one workspace — its named scenarios (save, load, rename,
  copy, delete to the bin, restore, purge), the room's view kept by a workshop, its workshops and
  their results, its members, its export.
- ``Room``: what a participant's join link reaches (``join(store, token)``) — that one workshop's
  state, answering it, and their own earlier answers; nothing else.

Names are free text in any language (``model.store.clean_name``); values are stored as the JSON of
``model.scenario.dump_scenario`` and validated again when read. Every refusal is a ``StoreError``
(or an ``AnswerError`` naming the field of an answer) whose message says what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from model.store import (
    DEFAULT_WORKSPACE,
    LOCAL_USER,
    MAX_NAME_LENGTH,
    MAX_NOTE_LENGTH,
    Entry,
    Store,
    StoreError,
    Workshop,
    Workspace,
    clean_name,
    name_key,
    open_store,
    plans,
    scenarios,
    transfer,
    workshops,
    workspaces,
)
from model.store.plans import StoredActuals, StoredPlan
from model.structure import Structure
from model.tracking import DEFAULT_PLAN_DRAWS, Actuals, Plan, Staging, freeze, read_actuals
from model.workshop import (
    Answer,
    AnswerError,
    Results,
    RoomView,
    StoredAnswer,
    tally,
    validate_answer,
)

__all__ = ["DEFAULT_WORKSPACE", "LOCAL_USER", "MAX_NAME_LENGTH", "MAX_NOTE_LENGTH", "Entry",
           "Library", "Room", "Store", "StoreError", "StoredActuals", "StoredPlan", "Workshop", "Workspace", "Workspaces",
           "clean_name", "join", "name_key", "open_store"]

Values = dict[str, float | int | bool]


class Workspaces:
    """The workspaces one user may reach in one store."""

    def __init__(self, store: Store, user: str = LOCAL_USER):
        self.store, self.user = store, workspaces.clean_user(user)

    def list(self, deleted: bool = False) -> list[Workspace]:
        """Live workspaces, oldest first (those in the bin with ``deleted=True``); a user with
        none gets their default one, with the presets."""
        return workspaces.list_workspaces(self.store, self.user, deleted)

    def names(self) -> list[str]:
        return [w.name for w in self.list()]

    def open(self, name: str | None = None) -> Library:
        """One of the user's workspaces (None = their default one)."""
        return Library(self.store, name, self.user)

    def create(self, name: str, presets: bool = True) -> Workspace:
        """A new workspace of this user (with the shipped presets unless ``presets=False``)."""
        return workspaces.create_workspace(self.store, self.user, name, presets)

    def delete(self, name: str) -> None:
        """Move a workspace to the bin (the last one stays)."""
        workspaces.delete_workspace(self.store, self.user, name)

    def restore(self, name: str) -> Workspace:
        return workspaces.restore_workspace(self.store, self.user, name)

    def purge(self, name: str) -> None:
        """Remove a deleted workspace for good, with everything in it."""
        workspaces.purge_workspace(self.store, self.user, name)

    def import_file(self, raw: bytes, name: str | None = None) -> Workspace:
        """A new workspace from an exported file's bytes (checked whole; nothing written on
        error)."""
        return self.import_data(transfer.read_workspace_file(raw), name)

    def import_path(self, path: str | Path, name: str | None = None) -> Workspace:
        """``import_file`` of a file on disk (its size checked before it is read)."""
        return self.import_data(transfer.load_workspace_file(path), name)

    def import_data(self, data: object, name: str | None = None) -> Workspace:
        return transfer.import_workspace(self.store, self.user, data, name)

    def workshop(self, workshop_id: str) -> tuple[Library, Workshop]:
        """A workshop of one of the user's workspaces by its id, with its workspace."""
        shop = workshops.get(self.store, self.user, workshop_id)
        return self.open(shop.workspace), shop

    def plan(self, plan_id: str) -> tuple[Library, StoredPlan]:
        """A committed plan of one of the user's workspaces by its id, with its workspace."""
        stored = plans.get(self.store, self.user, plan_id)
        return self.open(stored.workspace), stored

    def facilitate(self, token: object) -> tuple[Library, Workshop] | None:
        """The workshop a facilitator link opens, with its workspace — only for its members."""
        shop = workshops.by_token(self.store, token, "facilitator")
        if shop is None:
            return None
        try:
            return self.open(shop.workspace), workshops.get(self.store, self.user, shop.id)
        except StoreError:  # the link is right but this user is not a member
            return None


class Library:
    """One workspace of one store, as one user sees it (see the module docstring)."""

    def __init__(self, store: Store, workspace: str | None = None, user: str = LOCAL_USER):
        self.store, self.user = store, workspaces.clean_user(user)
        self.name = workspaces.resolve(store, self.user, workspace).name

    # --- scenarios -------------------------------------------------------------------------------

    def entries(self, deleted: bool = False) -> list[Entry]:
        """Live scenarios, oldest first (the presets lead); the bin with ``deleted=True``."""
        return scenarios.list_entries(self.store, self.user, self.name, deleted)

    def names(self) -> list[str]:
        return [e.name for e in self.entries()]

    def get(self, name: str) -> Entry:
        """One saved scenario (its ``values`` may be None with ``error`` saying why)."""
        return scenarios.get(self.store, self.user, self.name, name)

    def load(self, name: str) -> Values:
        """The validated values of a saved scenario; StoreError if missing or no longer valid."""
        entry = self.get(name)
        if entry.values is None:
            raise StoreError(f"the saved scenario “{entry.name}” can no longer be used "
                             f"({entry.error}); delete it or save it again")
        return entry.values

    def save(self, name: str, values: Mapping[str, object], note: str = "",
             overwrite: bool = False, structure: Structure | None = None) -> Entry:
        """Save ``values`` (with its segments, tiers and fixes, if any) under ``name``; an
        existing name is replaced only with ``overwrite``."""
        return scenarios.save(self.store, self.user, self.name, name, values, note, overwrite,
                              structure)

    def rename(self, old: str, new: str) -> Entry:
        """Give a saved scenario a new name (changing only its case is allowed)."""
        return scenarios.rename(self.store, self.user, self.name, old, new)

    def duplicate(self, name: str, new_name: str | None = None) -> Entry:
        """Copy a saved scenario; without ``new_name`` it becomes “NAME (copy)”, “NAME (copy 2)”…"""
        return scenarios.duplicate(self.store, self.user, self.name, name, new_name)

    def delete(self, name: str) -> None:
        """Move a scenario to the bin (undo with ``restore``)."""
        scenarios.delete(self.store, self.user, self.name, name)

    def restore(self, name: str) -> Entry:
        return scenarios.restore(self.store, self.user, self.name, name)

    def purge(self, name: str | None = None) -> int:
        """Remove deleted scenarios for good (one, or the whole bin); returns how many."""
        return scenarios.purge(self.store, self.user, self.name, name)

    def restore_presets(self) -> list[str]:
        """Add back any shipped preset whose name is not here; returns the names added."""
        return scenarios.restore_presets(self.store, self.user, self.name)

    # --- the room's view, kept for the analysis ----------------------------------------------------

    def room_view(self) -> RoomView | None:
        """The view a workshop kept here ("Use these ranges"), or None."""
        return workspaces.load_view(self.store, self.user, self.name)

    def keep_room_view(self, view: RoomView | None) -> None:
        workspaces.save_view(self.store, self.user, self.name, view)

    # --- workshops ---------------------------------------------------------------------------------

    def workshops(self) -> list[Workshop]:
        return workshops.list_for(self.store, self.user, self.name)

    def start_workshop(self, title: str = "") -> Workshop:
        """A new open workshop in the ``before`` round."""
        return workshops.create(self.store, self.user, self.name, title)

    def workshop(self, workshop_id: str) -> Workshop:
        """A workshop of this workspace, as it is now."""
        shop = workshops.get(self.store, self.user, workshop_id)
        if shop.workspace != self.name:
            raise StoreError(f"there is no workshop with id “{workshop_id}” in “{self.name}”")
        return shop

    def set_workshop(self, workshop_id: str, status: str | None = None,
                     current_round: str | None = None) -> Workshop:
        """Open the ``after`` round, close the workshop, or reopen it."""
        self.workshop(workshop_id)
        return workshops.set_state(self.store, self.user, workshop_id, status, current_round)

    def set_workshop_fixes(self, workshop_id: str, names: object) -> Workshop:
        """Name the fixes the room is asked to estimate on the phone (the analysed scenario's
        fixes; an empty list: none)."""
        self.workshop(workshop_id)
        return workshops.set_fixes(self.store, self.user, workshop_id, names)

    def answers(self, workshop_id: str) -> list[StoredAnswer]:
        self.workshop(workshop_id)
        return workshops.answers(self.store, self.user, workshop_id)

    def results(self, workshop_id: str) -> Results:
        """The room's votes and pooled estimates so far."""
        return tally(self.answers(workshop_id))

    def answer(self, workshop_id: str, raw: object) -> Answer:
        """Store an answer on a participant's behalf (the command line's ``workshop answer``)."""
        self.workshop(workshop_id)
        return _submit(self.store, workshop_id, raw, None)

    # --- committed plans and their actuals (model.tracking) -----------------------------------------
    def commit_plan(self, scenario: str, start_month: str, seed: int = 0,
                    draws: int = DEFAULT_PLAN_DRAWS, staging: Staging | None = None
                    ) -> tuple[StoredPlan, Plan]:
        """Freeze a saved scenario as the plan (supersedes the scenario's live plan)."""
        entry = self.get(scenario)
        plan, _ = freeze(self.load(scenario), start_month, seed, draws, staging=staging,
                         scenario=entry.name)
        return plans.commit(self.store, self.user, self.name, entry.name, plan.to_json()), plan

    def plans(self, history: bool = True) -> list[StoredPlan]:
        """The workspace's committed plans, newest first (superseded ones with ``history``)."""
        return plans.list_for(self.store, self.user, self.name, history)

    def plan(self, plan_id: str) -> tuple[StoredPlan, Plan]:
        stored = plans.get(self.store, self.user, plan_id)
        if stored.workspace != self.name:
            raise StoreError(f"there is no plan with id “{plan_id}” in “{self.name}”")
        return stored, Plan.from_json(stored.plan_json)

    def save_actuals(self, plan_id: str, actuals: Actuals, source: str = "csv") -> StoredActuals:
        """A new version of the plan's actuals (already validated: nothing else is written)."""
        self.plan(plan_id)
        return plans.save_actuals(self.store, self.user, plan_id, actuals.to_csv(), source)

    def actuals(self, plan_id: str) -> Actuals | None:
        """The plan's current actuals (its latest saved version), or None."""
        stored, plan = self.plan(plan_id)
        latest = plans.latest_actuals(self.store, self.user, stored.id)
        return None if latest is None else read_actuals(latest.csv, plan.start_month,
                                                        plan.horizon_months)

    def actuals_history(self, plan_id: str) -> list[StoredActuals]:
        self.plan(plan_id)
        return plans.actuals_history(self.store, self.user, plan_id)

    # --- the workspace itself -----------------------------------------------------------------------

    def members(self) -> list[str]:
        """Who may see this workspace (its owner first)."""
        return workspaces.members_of(self.store, self.user, self.name)

    def share(self, other: str) -> list[str]:
        """Let ``other`` (a user's e-mail address or id) see this workspace too."""
        return workspaces.add_member(self.store, self.user, self.name, other)

    def unshare(self, other: str) -> list[str]:
        """Stop ``other`` seeing this workspace (the owner removes anyone else; a member only
        themselves); returns who still sees it."""
        return workspaces.remove_member(self.store, self.user, self.name, other)

    def export(self) -> dict:
        """The whole workspace as a JSON-ready dict (``Workspaces.import_data`` reads it back)."""
        return transfer.export_workspace(self.store, self.user, self.name)


class Room:
    """One workshop as its join link reaches it: nothing of the workspace behind it."""

    def __init__(self, store: Store, workshop: Workshop):
        self.store, self._id = store, workshop.id
        self.title = workshop.title

    def state(self) -> Workshop:
        """The workshop as it is now (its round and whether it is open)."""
        return workshops.state(self.store, self._id)

    def submit(self, raw: object, show: Callable[[float], str] | None = None) -> Answer:
        """Validate and store one answer (a second one from the same participant replaces it)."""
        return _submit(self.store, self._id, raw, show)

    def mine(self, participant: str) -> dict[str, StoredAnswer]:
        """One participant's answers by round."""
        return workshops.answers_of(self.store, self._id, participant)


def join(store: Store, token: object) -> Room | None:
    """The workshop a join link opens, or None (wrong, expired or deleted: nothing revealed)."""
    shop = workshops.by_token(store, token, "join")
    return None if shop is None else Room(store, shop)


def _submit(store: Store, workshop_id: str, raw: object, show) -> Answer:
    answer = validate_answer(raw) if show is None else validate_answer(raw, show)
    try:
        workshops.upsert_answer(store, workshop_id, answer.participant, answer.name, answer.round,
                                answer.vote, answer.confidence, answer.estimates_json())
    except StoreError as e:
        text = str(e)
        if text.startswith("round: "):
            raise AnswerError("round", text.removeprefix("round: ")) from None
        raise
    return answer
