"""Migration history: the migrations folder, `_prisma_migrations`, apply, status, resolve."""
