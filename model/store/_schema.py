"""The store's tables (SQLAlchemy Core): workspaces and their members, scenarios, workshops, answers."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

meta = Table("meta", metadata,
             Column("key", String(100), primary_key=True),
             Column("value", Text, nullable=False))

workspaces = Table(
    "workspaces", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),  # as typed (trimmed, NFC)
    # casefolded, after the owner's key (``_migrate.workspace_key``); tagged when deleted
    Column("name_key", String(400), nullable=False, unique=True),
    Column("owner", String(200)),  # the user who created it (NULL only in a version-2 store)
    Column("ranges_json", Text),  # saved uncertainty ranges ("Use these ranges"), or NULL
    Column("created_at", String(40), nullable=False),  # ISO 8601, UTC
    Column("deleted_at", String(40)),  # NULL = live; set = in the bin until purged
)

scenarios = Table(
    "scenarios", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workspace_id", Integer, ForeignKey("workspaces.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("name_key", String(400), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("values_json", Text, nullable=False),  # model.scenario.dump_scenario
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("deleted_at", String(40)),
    UniqueConstraint("workspace_id", "name_key", name="uq_scenario_name"),
)

workshops = Table(
    "workshops", metadata,
    Column("id", String(40), primary_key=True),  # short public id (CLI), not a secret
    Column("workspace_id", Integer, ForeignKey("workspaces.id"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("join_token", String(80), nullable=False, unique=True),  # secrets.token_urlsafe
    Column("facilitator_token", String(80), nullable=False, unique=True),
    Column("status", String(10), nullable=False),  # open | closed
    Column("current_round", String(10), nullable=False),  # before | after
    Column("created_at", String(40), nullable=False),
    Column("closed_at", String(40)),
    # The fixes participants are asked to estimate (the analysed scenario's names, a JSON list
    # set by the facilitator), or NULL: nothing of the scenario itself reaches the phone.
    Column("fixes_json", Text),
)

answers = Table(
    "answers", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", String(40), ForeignKey("workshops.id"), nullable=False),
    Column("participant_key", String(200), nullable=False),
    Column("display_name", String(200), nullable=False, default=""),
    Column("round", String(10), nullable=False),  # before | after
    Column("vote", String(10), nullable=False),  # yes | not_yet | no
    Column("confidence", Float, nullable=False),  # 0..1
    Column("estimates_json", Text, nullable=False),  # {name: {low, likely, high}}
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    UniqueConstraint("workshop_id", "participant_key", "round", name="uq_answer"),
)

members = Table(
    "members", metadata,
    Column("workspace_id", Integer, ForeignKey("workspaces.id"), nullable=False),
    Column("user_key", String(200), nullable=False),  # the owner, and each user they added
    Column("added_at", String(40), nullable=False),
    UniqueConstraint("workspace_id", "user_key", name="uq_member"),
)

# Committed plans (issue 20): immutable once written; a new commit supersedes the live one of the
# same scenario, and the history stays. Actuals are saved as versions (the latest is current), so a
# bad upload never replaces what was there.
plans = Table(
    "plans", metadata,
    Column("id", String(40), primary_key=True),  # short public id (CLI), not a secret
    Column("workspace_id", Integer, ForeignKey("workspaces.id"), nullable=False),
    Column("scenario", String(200), nullable=False),  # the saved scenario it froze, as named then
    Column("scenario_key", String(400), nullable=False),
    Column("plan_json", Text, nullable=False),  # model.tracking.Plan.to_json
    Column("created_at", String(40), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("superseded_by", String(40)),  # the plan that replaced it (NULL = live)
    Column("superseded_at", String(40)),
)

plan_actuals = Table(
    "plan_actuals", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("plan_id", String(40), ForeignKey("plans.id"), nullable=False),
    Column("csv", Text, nullable=False),  # model.tracking.Actuals.to_csv
    Column("source", String(40), nullable=False),  # table | csv | customers
    Column("saved_at", String(40), nullable=False),
    Column("saved_by", String(200), nullable=False),
)
