"""The models of the projects app; everything is importable from here."""

from projects.models.projects import (
    FundingProgramme,
    Project,
    ProjectAttachment,
    ProjectImage,
    Region,
    Submission,
)
from projects.models.reviews import Decision, Review

__all__ = [
    "Decision",
    "FundingProgramme",
    "Project",
    "ProjectAttachment",
    "ProjectImage",
    "Region",
    "Review",
    "Submission",
]
