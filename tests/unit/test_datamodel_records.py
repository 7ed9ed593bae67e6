"""The datamodel's records: built quickly, but still plain frozen dataclasses."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from schemamend.model import datamodel
from schemamend.model.datamodel import Arity, DefaultValue, FieldKind, IndexField, ScalarField

RECORDS = [
    cls
    for cls in vars(datamodel).values()
    if isinstance(cls, type)
    and dataclasses.is_dataclass(cls)
    and cls.__module__ == datamodel.__name__
]


def test_records_take_positional_and_keyword_arguments_with_their_defaults() -> None:
    by_position = ScalarField("id", "id_col", FieldKind.SCALAR, "Int", Arity.REQUIRED)
    by_keyword = ScalarField(
        name="id", db_name="id_col", kind=FieldKind.SCALAR, type_name="Int", arity=Arity.REQUIRED
    )
    assert by_position == by_keyword
    assert (by_position.native_type, by_position.default, by_position.is_updated_at) == (
        None,
        None,
        False,
    )
    assert hash(by_position) == hash(by_keyword)


def test_records_stay_frozen_and_replaceable() -> None:
    field = IndexField("email", "email")
    with pytest.raises(dataclasses.FrozenInstanceError):
        field.db_name = "mail"  # type: ignore[misc]
    assert dataclasses.replace(field, db_name="mail") == IndexField("email", "mail")


def test_missing_or_unknown_arguments_are_refused_as_usual() -> None:
    with pytest.raises(TypeError):
        DefaultValue()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        DefaultValue("now", colour="red")  # type: ignore[call-arg]


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: cls.__name__)
def test_every_record_keeps_the_dataclass_signature(cls: type) -> None:
    parameters = list(inspect.signature(cls).parameters.values())
    declared = [f for f in dataclasses.fields(cls) if f.init]
    assert [p.name for p in parameters] == [f.name for f in declared]
    for parameter, f in zip(parameters, declared, strict=True):
        expected = inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default
        if f.default_factory is dataclasses.MISSING:
            assert parameter.default == expected, f.name
