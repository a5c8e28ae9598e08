"""The models of the groups app, one module per area; everything is importable from here."""

# _document_upload_path stays reachable here: migration 0002 names it as groups.models._document_upload_path.
from groups.models.discussions import Post, PostRevision, Thread
from groups.models.documents import Document, DocumentComment, DocumentVersion, _document_upload_path
from groups.models.information import InformationPage, Subscriber
from groups.models.people import Organisation, Profile, Topic, Trade, User, UserManager
from groups.models.questions import Question
from groups.models.spaces import (
    AudienceChange,
    Invitation,
    JoinRequest,
    Membership,
    MembershipChange,
    RingItem,
    Space,
)

__all__ = [
    "AudienceChange",
    "Document",
    "DocumentComment",
    "DocumentVersion",
    "InformationPage",
    "Invitation",
    "JoinRequest",
    "Membership",
    "MembershipChange",
    "Organisation",
    "Post",
    "PostRevision",
    "Profile",
    "Question",
    "RingItem",
    "Space",
    "Subscriber",
    "Thread",
    "Topic",
    "Trade",
    "User",
    "UserManager",
    "_document_upload_path",
]
