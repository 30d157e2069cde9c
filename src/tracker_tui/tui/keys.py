"""Keys in one place: the bindings' ids, the keys they have after the user's keymap, and
the checks a keymap from settings.json passes before the app applies it.

Binding ids. Every `Binding` of ours has an `id`, stable across releases because users
write it in settings.json ({"keymap": {"<id>": "<key>,<key>"}}):
- a key of the main screen that works from any pane is named like its action, without
  a prefix: `toggle_watched`, `next_show`, `quit`;
- a key that works in one place only carries that place as a prefix and a dot:
  `list.` (every list), `notes.`, `shows.` (a pane), `filter.` (the filter as typed),
  `source.`, `help.`, `confirm.`
  (a screen): `source.next`, `shows.clear_filter`.
Two keys for one action get two ids when they must stay apart (the footer shows `q`
but not `ctrl+q`: `quit` and `quit_alt`); otherwise one id holds both keys ("n,escape").
Keys Textual binds itself (tab, the arrows, ctrl+p) have no id of ours and keep their key.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.keys import KEY_NAME_REPLACEMENTS, Keys, format_key, key_to_character

KEY_NAMES = frozenset(key.value for key in Keys)
MODIFIERS = frozenset({"ctrl", "alt", "shift", "meta", "super", "hyper"})
KeyScopes = Mapping[str, Sequence[type[DOMNode]]]
"""Classes whose bindings are live together (the main screen's focus chain, or one
modal screen): one key must not do two things within a scope."""


@dataclass(frozen=True)
class TextualKey:
    """A key Textual binds itself, found by its owner class and action."""

    owner: type[DOMNode]
    action: str


KeyRef = str | TextualKey
"""A binding id of ours, or a key of Textual's."""


def class_bindings(cls: type[DOMNode]) -> list[Binding]:
    """Every binding a node of `cls` has, one per key, as Textual merges them: a subclass's
    key replaces its bases' binding for that key. An app also has the palette's key."""
    by_key: dict[str, list[Binding]] = {}
    for base in reversed(cls.__mro__):
        per_key: dict[str, list[Binding]] = {}
        for binding in Binding.make_bindings(base.__dict__.get("BINDINGS", [])):
            per_key.setdefault(binding.key, []).append(binding)
        by_key.update(per_key)
    bindings = [binding for key_bindings in by_key.values() for binding in key_bindings]
    if issubclass(cls, App) and cls.ENABLE_COMMAND_PALETTE:
        palette_keys = ",".join(_key_name(key) for key in cls.COMMAND_PALETTE_BINDING.split(","))
        bindings += Binding.make_bindings([Binding(palette_keys, "command_palette", "palette")])
    return bindings


def own_bindings(classes: Iterable[type[DOMNode]]) -> dict[str, list[Binding]]:
    """Our bindings by id, one entry per key in declared order, from each class's own
    BINDINGS (Textual's have no id). A binding two classes share (RowList has
    VimOptionList's j and k) is one entry."""
    by_id: dict[str, list[Binding]] = {}
    for cls in classes:
        bindings: list[BindingType] = cls.__dict__.get("BINDINGS", [])
        for binding in Binding.make_bindings(bindings):
            if binding.id is not None and binding not in by_id.get(binding.id, []):
                by_id.setdefault(binding.id, []).append(binding)
    return by_id


def scope_classes(scopes: KeyScopes) -> list[type[DOMNode]]:
    return list(dict.fromkeys(cls for classes in scopes.values() for cls in classes))


def effective_keys(scopes: KeyScopes, keymap: Mapping[str, str]) -> dict[str, list[str]]:
    """Each id's keys (Textual's long names, e.g. `question_mark`), after the keymap."""
    return {
        binding_id: (
            [_key_name(key) for key in keymap[binding_id].split(",")]
            if binding_id in keymap
            else [binding.key for binding in bindings]
        )
        for binding_id, bindings in own_bindings(scope_classes(scopes)).items()
    }


def textual_keys(ref: TextualKey) -> list[str]:
    return [binding.key for binding in class_bindings(ref.owner) if binding.action == ref.action]


def ref_keys(ref: KeyRef, keys_by_id: Mapping[str, list[str]]) -> list[str]:
    return textual_keys(ref) if isinstance(ref, TextualKey) else keys_by_id[ref]


def key_hint(node: DOMNode, binding_id: str, default: str) -> str:
    """The key a hint on screen names ("s reveals"): the user's first key for the binding
    if settings.json remapped it, else `default`. The app keeps the keymap it applied as
    `keymap`; a node outside it (a test's bare app) gets the default."""
    keymap: Mapping[str, str] = getattr(node.app, "keymap", {})
    keys = keymap.get(binding_id)
    return key_label(keys.split(",")[0]) if keys else default


def key_label(key: str) -> str:
    """How help, the palette and the README write a key: `?` for question_mark, but
    `space` and `enter` by name (the footer keeps its own, shorter labels)."""
    *modifiers, base = key.split("+")
    return "+".join([*modifiers, base if base in KEY_NAMES else format_key(base)])


def _key_name(key: str) -> str:
    """Textual's name for a key written as one character (`?` is `question_mark`), made
    the way Textual makes it, so the help and the clash check agree with what it binds."""
    if len(key) != 1 or key.isalnum():
        return key
    import unicodedata  # only a key written as a symbol needs the name table

    try:
        name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return key
    return KEY_NAME_REPLACEMENTS.get(name, name)


def key_problem(key: str) -> str | None:
    """Why `key` is no key Textual can report, or None when it is one."""
    *modifiers, base = key.split("+")
    unknown = [modifier for modifier in modifiers if modifier not in MODIFIERS]
    if unknown:
        return f'"{unknown[0]}" is not a modifier (use ctrl, alt, shift, meta or super)'
    if len(base) == 1:
        return None if base.isprintable() and not base.isspace() else "is not a printable key"
    if base in KEY_NAMES or key_to_character(base) is not None or format_key(base) != base:
        return None
    return "is not a key name"


def check_keymap(
    keymap: Mapping[str, str], scopes: KeyScopes, path: Path
) -> tuple[dict[str, str], list[str]]:
    """The entries the app can apply, and a sentence for each one it cannot: an unknown
    id, a key that is no key, or a key another binding has in the same scope (Textual
    would quietly drop that other binding)."""
    if not keymap:
        return {}, []
    defaults = own_bindings(scope_classes(scopes))
    problems: list[str] = []
    usable: dict[str, str] = {}
    for binding_id, keys in keymap.items():
        where = f'{path}: keymap "{binding_id}"'
        if binding_id not in defaults:
            close = difflib.get_close_matches(binding_id, defaults, n=1)
            hint = f'did you mean "{close[0]}"?' if close else "the ids are in the README"
            problems.append(f"{where} is no key binding id ({hint}); it is ignored.")
            continue
        bad = next(((key, why) for key in keys.split(",") if (why := key_problem(key))), None)
        if bad is not None:
            problems.append(
                f'{where}: "{bad[0]}" {bad[1]}; write a character ("x", "?") or a name such '
                'as "space", "enter", "f5", "ctrl+x". Its default key is used.'
            )
            continue
        usable[binding_id] = ",".join(_key_name(key) for key in keys.split(","))
    while clash := _first_clash(usable, scopes):
        binding_id, key, other = clash
        what = f"{other.id}" if other.id else f"Textual's {other.description or other.action}"
        problems.append(
            f'{path}: keymap "{binding_id}": "{key_label(key)}" is already the key of {what}; '
            "remap that one too, or pick another key. Its default key is used."
        )
        del usable[binding_id]
    return usable, problems


def _first_clash(usable: Mapping[str, str], scopes: KeyScopes) -> tuple[str, str, Binding] | None:
    """A remapped id, its key, and another binding with that key in one of its scopes."""
    for classes in scopes.values():
        bindings = list(dict.fromkeys(b for cls in classes for b in class_bindings(cls)))
        taken: dict[str, list[Binding]] = {}
        for binding in bindings:  # a remapped binding leaves its default key free
            for key in usable.get(binding.id or "", binding.key).split(","):
                taken.setdefault(key, []).append(binding)
        actions = {b.id: b.action for b in bindings if b.id is not None}
        for binding_id, keys in usable.items():
            if binding_id not in actions:
                continue  # this id has no binding in this scope
            for key in keys.split(","):
                for other in taken[key]:
                    if other.id != binding_id and other.action != actions[binding_id]:
                        return binding_id, key, other
    return None
