"""schemamend: migration engine and drift doctor for Prisma-schema projects."""

__version__ = "0.1.0"
