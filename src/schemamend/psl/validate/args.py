"""Reading attribute arguments the way Prisma does, with its messages.

An `ArgReader` wraps one attribute: callers take arguments by name (or the
first unnamed one as the default argument), each read reports Prisma's
type-mismatch message, and `finish()` reports every argument nobody took.
"""

from __future__ import annotations

from schemamend.diagnostics import Span
from schemamend.psl import ast
from schemamend.psl.validate.context import Context


def describe(expr: ast.Expression) -> str:
    """Prisma's word for an expression's kind in "Expected ..., but received X value" messages."""
    if isinstance(expr, ast.StringValue):
        return "string"
    if isinstance(expr, ast.NumericValue):
        return "numeric"
    if isinstance(expr, ast.ConstantValue):
        return "literal"
    if isinstance(expr, ast.FunctionCall):
        return "functional"
    if isinstance(expr, ast.ArrayExpression):
        return "array"
    return "object"


def type_mismatch(ctx: Context, expected: str, expr: ast.Expression) -> None:
    ctx.error(
        f"Expected {expected} value, but received {describe(expr)} value `{expr.span.text()}`.",
        expr.span,
    )


def attribute_label(attr: ast.Attribute) -> str:
    """`@name` for both field and block attributes, as Prisma writes it in messages."""
    return f"@{attr.name}"


def attribute_error(
    ctx: Context, attr: ast.Attribute, message: str, span: Span | None = None
) -> None:
    ctx.error(f'Error parsing attribute "{attribute_label(attr)}": {message}', span or attr.span)


def has_arguments(attr: ast.Attribute) -> bool:
    """Whether anything is written between the attribute's parentheses."""
    arguments = attr.arguments
    return bool(arguments.arguments or arguments.empty_arguments)


def reject_arguments(ctx: Context, attr: ast.Attribute) -> None:
    """Report every argument of an attribute that takes none."""
    if has_arguments(attr):
        ArgReader(ctx, attr).finish()


def sole_unnamed_argument(attr: ast.Attribute) -> ast.Expression | None:
    """The value of `@x(value)`, an attribute's usual shape: one unnamed argument, so there
    is nothing else to read or report. None for any other shape (read those with an
    `ArgReader`, which reports what is wrong)."""
    arguments = attr.arguments
    if len(arguments.arguments) != 1 or arguments.empty_arguments:
        return None
    arg = arguments.arguments[0]
    return arg.value if arg.name is None else None


def sole_string_argument(attr: ast.Attribute) -> str | None:
    """The string of `@x("value")` (see `sole_unnamed_argument`)."""
    value = sole_unnamed_argument(attr)
    return value.value if isinstance(value, ast.StringValue) else None


class ArgReader:
    """Consumes the arguments of one attribute."""

    __slots__ = ("ctx", "attr", "_unused", "_names", "ok")

    def __init__(self, ctx: Context, attr: ast.Attribute) -> None:
        self.ctx = ctx
        self.attr = attr
        self._unused: list[ast.Argument] = list(attr.arguments.arguments)
        # every argument name written: most names asked for are not there at all
        self._names = {arg.name.name for arg in self._unused if arg.name is not None}
        self.ok = True
        for empty in attr.arguments.empty_arguments:
            ctx.error(
                f'The argument "{empty.name.name}" is missing a value.', empty.span
            )  # rare; wording unverified
            self.ok = False

    @property
    def has_unused(self) -> bool:
        return bool(self._unused)

    def named(self, name: str) -> ast.Argument | None:
        if name not in self._names:
            return None
        for arg in self._unused:
            if arg.name is not None and arg.name.name == name:
                self._unused.remove(arg)
                return arg
        return None

    def default(self, name: str) -> ast.Argument | None:
        """The argument called `name`, or else the first unnamed one."""
        arg = self.named(name)
        for candidate in self._unused:
            if candidate.name is None:
                self._unused.remove(candidate)
                if arg is not None:
                    self.ctx.error(
                        f'Argument "{name}" is already specified as unnamed argument.',
                        self.attr.span,
                    )
                    self.ok = False
                    return arg
                return candidate
        return arg

    def required_default(self, name: str) -> ast.Argument | None:
        arg = self.default(name)
        if arg is None:
            self.ctx.error(f'Argument "{name}" is missing.', self.attr.span)
            self.ok = False
        return arg

    # ── typed reads (None after reporting a mismatch) ───────────────────

    def string(self, arg: ast.Argument | None) -> str | None:
        if arg is None:
            return None
        if isinstance(arg.value, ast.StringValue):
            return arg.value.value
        type_mismatch(self.ctx, "a string", arg.value)
        self.ok = False
        return None

    def constant(self, arg: ast.Argument | None) -> str | None:
        if arg is None:
            return None
        if isinstance(arg.value, ast.ConstantValue):
            return arg.value.name
        type_mismatch(self.ctx, "a constant", arg.value)
        self.ok = False
        return None

    def boolean(self, arg: ast.Argument | None) -> bool | None:
        if arg is None:
            return None
        if isinstance(arg.value, ast.ConstantValue) and arg.value.name in ("true", "false"):
            return arg.value.name == "true"
        type_mismatch(self.ctx, "a boolean", arg.value)
        self.ok = False
        return None

    def finish(self) -> None:
        """Report every argument nobody read."""
        if not self._unused:
            return
        all_unnamed = [a for a in self.attr.arguments.arguments if a.name is None]
        extra_unnamed = [a for a in self._unused if a.name is None]
        if extra_unnamed and len(all_unnamed) > 1:
            listed = ", ".join(a.value.span.text() for a in all_unnamed)
            attribute_error(
                self.ctx,
                self.attr,
                "You provided multiple unnamed arguments. This is not possible. Did you forget the brackets? "
                f"Did you mean `[{listed}]`?",
            )
            self.ok = False
        for arg in self._unused:
            if arg.name is not None or len(all_unnamed) <= 1:
                self.ctx.error("No such argument.", arg.span)
            self.ok = False
        self._unused = []
