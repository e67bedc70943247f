"""What an import did to each file and each activity, for the runner to read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from afterrun.core.sport_guess import SportNote
from afterrun.services.restore import Restored


@dataclass
class ImportSummary:
    """What happened to each file of a batch, and to each activity in it.

    A file may hold several activities: `imported`, `replaced` and `partial` have one
    entry per activity; `already_there` one per file whose content is stored (naming the
    first stored activity) or per activity that matched a stored run; `failed` one per file.
    """

    files: int = 0
    imported: list[tuple[str, int]] = field(default_factory=list)
    replaced: list[tuple[str, int, str]] = field(default_factory=list)
    already_there: list[tuple[str, int]] = field(default_factory=list)
    partial: list[tuple[str, int, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    #: Stored activities whose file named no sport: (file, id, what was guessed or why not).
    sport_untold: list[tuple[str, int, SportNote]] = field(default_factory=list)
    #: What each afterrun export brought back besides its runs.
    restored: list[tuple[str, Restored]] = field(default_factory=list)
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def activities(self) -> int:
        """Activities found in the files: new, replacing a poorer copy, or already there."""
        return len(self.imported) + len(self.replaced) + len(self.already_there) + len(self.partial)

    @property
    def new_ids(self) -> set[int]:
        """Runs stored or changed by this import."""
        return (
            {i for _, i in self.imported}
            | {i for _, i, _ in self.partial}
            | {i for _, i, _ in self.replaced}
        )

    def headline(self) -> str:
        """'3 files, 7 activities: imported 5, ...' as the CLI prints it."""
        files = f"{self.files} file{'' if self.files == 1 else 's'}"
        count = self.activities
        activities = f"{count} activit{'y' if count == 1 else 'ies'}"
        return (
            f"{files}, {activities}: imported {len(self.imported)}, "
            f"replaced {len(self.replaced)}, already there {len(self.already_there)}, "
            f"partial {len(self.partial)}, failed {len(self.failed)}."
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "file_count": self.files,
            "activity_count": self.activities,
            "imported": len(self.imported),
            "replaced": len(self.replaced),
            "already_there": len(self.already_there),
            "partial": len(self.partial),
            "failed": len(self.failed),
            "files": {
                "imported": [{"file": label, "id": i} for label, i in self.imported],
                "replaced": [
                    {"file": label, "id": i, "reason": reason} for label, i, reason in self.replaced
                ],
                "already_there": [{"file": label, "id": i} for label, i in self.already_there],
                "partial": [
                    {"file": label, "id": i, "reason": reason} for label, i, reason in self.partial
                ],
                "failed": [{"file": label, "reason": reason} for label, reason in self.failed],
                "sport_untold": [
                    {"file": label, "id": i, "sport": note.text, "fix": note.fix}
                    for label, i, note in self.sport_untold
                ],
                "restored": [{"file": label, **r.to_json()} for label, r in self.restored],
            },
        }
