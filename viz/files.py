"""Writing output files all at once: never a half-written picture or page.

Every file chalkgrad produces (pictures, pages, demo outputs) is written by
:func:`write_atomic`: the bytes go to a temporary file in the same folder, which
then replaces the target in one step (``os.replace``). If anything fails on the
way (a full disk, a file-size limit, an interrupt), the temporary file is
removed, an existing file at the path is left exactly as it was, and the error
names the path.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path


def write_atomic(path: str | os.PathLike, data: bytes | str, encoding: str = "utf-8") -> Path:
    """Write ``data`` (bytes, or text in ``encoding``) to ``path`` completely or not at all.

    The new file keeps the permissions of the file it replaces (a new file gets
    the usual ones, from the umask). A symbolic link is followed: its target is
    replaced, the link stays. On failure an :class:`OSError` of the same kind
    says which path could not be written and that nothing there changed.

    Example:
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "note.txt")
        >>> write_atomic(path, "first").read_text()
        'first'
        >>> write_atomic(path, b"second").read_text(), os.listdir(os.path.dirname(path))
        ('second', ['note.txt'])
    """
    if isinstance(data, str):
        data = data.encode(encoding)
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"write_atomic needs bytes or str, got {type(data).__name__}")
    out = Path(path)
    target = out.resolve() if out.is_symlink() else out
    old_mode = None
    try:
        old_mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        pass  # no file there yet
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        # O_EXCL: never write into a file someone else made; 0o666 & ~umask as open() does.
        fd = os.open(
            temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666
        )
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            if old_mode is not None:
                os.chmod(temporary, old_mode)
            os.replace(temporary, target)
        except BaseException:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise
    except OSError as error:
        kept = "the file there is unchanged" if old_mode is not None else "no file was written"
        reason = error.strerror or str(error)
        message = f"cannot write {out}: {reason}; {kept}"
        if error.errno is None:
            raise type(error)(message) from None
        raise type(error)(error.errno, message) from None
    return out
