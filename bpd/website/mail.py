"""How any app labels an email before sending it.

Email is queued, not sent from the request: the EMAIL_BACKEND (`bpd.background.mail.
QueuedEmailBackend`) reads these labels to record what each message is and whether it
jumps the queue. Senders label messages here, on the ground floor, so they need not
import the queue.
"""


def mark(message, kind, *, urgent=False):
    """Label a message before sending it: what it is, and whether it jumps the queue."""
    message.bpd_kind = kind
    message.bpd_urgent = urgent
    return message


# What each kind of email is, for the staff page that lists the queue. Apps add theirs
# from ready(): `mail.add_kinds({"fund/email/decision_award": _("Fund: award offer")})`.
_KINDS = {}


def add_kinds(labels):
    _KINDS.update(labels)


def kind_label(kind):
    """The translated name of an email kind, or the kind itself if none was given."""
    label = _KINDS.get(kind)
    return str(label) if label is not None else kind
