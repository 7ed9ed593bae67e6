"""Migration-history errors, one constructor per message, worded and coded as Prisma's."""

from __future__ import annotations

from schemamend.errors import SchemamendError

RESOLVE_DOCS = "https://pris.ly/d/migrate-resolve"


class MigrateError(SchemamendError):
    code = "SM300"


class MigrationFileNotFound(MigrateError):
    code = "P3015"

    def __init__(self, path: str) -> None:
        super().__init__(
            f"Could not find the migration file at {path}. Please delete the directory or "
            "restore the migration file."
        )


class ProviderSwitched(MigrateError):
    code = "P3019"

    def __init__(self, provider: str, expected_provider: str) -> None:
        super().__init__(
            f"The datasource provider `{provider}` specified in your schema does not match the one "
            f"specified in the migration_lock.toml, `{expected_provider}`. Please remove your current "
            "migration directory and start a new migration history with prisma migrate dev. "
            "Read more: https://pris.ly/d/migrate-provider-switch"
        )
        self.provider = provider
        self.expected_provider = expected_provider


class DatabaseSchemaNotEmpty(MigrateError):
    code = "P3005"

    def __init__(self) -> None:
        super().__init__(
            "The database schema is not empty. Read more about how to baseline an existing "
            "production database: https://pris.ly/d/migrate-baseline",
            hint="record the migrations that are already applied with "
            "`schemamend migrate resolve --applied NAME`",
        )


class FoundFailedMigrations(MigrateError):
    code = "P3009"

    def __init__(self, details: str, names: list[str]) -> None:
        super().__init__(
            "migrate found failed migrations in the target database, new migrations will not be "
            f"applied. Read more about how to resolve migration issues in a production database: "
            f"{RESOLVE_DOCS}\n{details}",
            hint="after fixing the database, run `schemamend migrate resolve --rolled-back NAME` "
            "(to retry it) or `--applied NAME` (if it was completed by hand)",
        )
        self.names = names


class MigrationAlreadyApplied(MigrateError):
    code = "P3008"

    def __init__(self, name: str) -> None:
        super().__init__(f"The migration `{name}` is already recorded as applied in the database.")


class CannotRollBackUnappliedMigration(MigrateError):
    code = "P3011"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"Migration `{name}` cannot be rolled back because it was never applied to the "
            "database. Hint: did you pass in the whole migration name? (example: "
            '"20201207184859_initial_migration")'
        )


class CannotRollBackSucceededMigration(MigrateError):
    code = "P3012"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"Migration `{name}` cannot be rolled back because it is not in a failed state."
        )


class MigrationToMarkAppliedNotFound(MigrateError):
    code = "P3017"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"The migration {name} could not be found. Please make sure that the migration exists, "
            "and that you included the whole name of the directory. (example: "
            '"20201207184859_initial_migration")'
        )


class ResolveVerificationFailed(MigrateError):
    """`resolve --applied` found that the database does not contain what the migration creates."""

    code = "SM301"
    exit_code = 2


class NoDatabaseUrl(MigrateError):
    code = "SM302"
