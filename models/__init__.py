"""The database model. Importing this package registers every table on ``Base.metadata``."""

from models.base import Base, UTCDateTime
from models.dispatches import (
    Assignment,
    AssignmentStatus,
    Attachment,
    Dispatch,
    DispatchStatus,
    DueKind,
    ExtensionRequest,
    Period,
    PeriodStatus,
    Task,
    TaskDue,
    TaskUnit,
    UnitRole,
)
from models.events import Event, ReminderDelivery
from models.inbox import InboxUpdate
from models.leases import Lease
from models.pending import PendingInput
from models.people import UNIT_ROLES, Contact, Invite, Person, Role
from models.units import Unit, UnitGroup, unit_group_members

__all__ = [
    "UNIT_ROLES",
    "Assignment",
    "AssignmentStatus",
    "Attachment",
    "Base",
    "Contact",
    "Dispatch",
    "DispatchStatus",
    "DueKind",
    "Event",
    "ExtensionRequest",
    "InboxUpdate",
    "Invite",
    "Lease",
    "PendingInput",
    "Period",
    "PeriodStatus",
    "Person",
    "ReminderDelivery",
    "Role",
    "Task",
    "TaskDue",
    "TaskUnit",
    "UTCDateTime",
    "Unit",
    "UnitGroup",
    "UnitRole",
    "unit_group_members",
]
