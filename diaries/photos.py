"""Photo uploads: checked by their content, limited in size and number.

The type is read from the file's first bytes (magic numbers), never from the
name or the Content-Type the client sent, so an HTML page, an SVG or an
executable renamed ``.jpg`` is refused.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

import pillow_heif
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 9
MAX_BYTES = 10 * 1024 * 1024
ACCEPT = "image/jpeg,image/png,image/webp,image/heic,image/heif"

# ISO-BMFF brands of HEIC/HEIF stills and sequences (the "ftyp" box of a phone photo).
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}
_HEIF_BRANDS = {b"mif1", b"msf1"}


@dataclass(frozen=True)
class CheckedPhoto:
    """A photo that passed the checks; once checked, ``upload`` holds its pixels without metadata."""

    upload: UploadedFile | ContentFile
    content_type: str


def sniff(head: bytes) -> str | None:
    """The image type of a file from its first 32 bytes, or None when it is not a photo we take."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIC_BRANDS:
            return "image/heic"
        if brand in _HEIF_BRANDS:
            return "image/heif"
    return None


def check_photo(upload: UploadedFile) -> CheckedPhoto:
    name = upload.name or "?"
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a photo may be at most 10 MB.")
            % {"name": name, "size": filesizeformat(upload.size)},
            code="too_big",
        )
    upload.seek(0)
    head = upload.read(32)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise ValidationError(
            _("“%(name)s” is not a photo: only JPEG, PNG, WebP and HEIC images are accepted.") % {"name": name},
            code="not_a_photo",
        )
    cleaned, content_type = without_metadata(CheckedPhoto(upload=upload, content_type=content_type))
    return CheckedPhoto(upload=cleaned, content_type=content_type)


# Re-encoded as: phones' HEIC becomes JPEG, which every browser shows; the others keep their type.
_SAVE_AS = {"image/jpeg": ("JPEG", "jpg"), "image/png": ("PNG", "png"), "image/webp": ("WEBP", "webp"),
            "image/heic": ("JPEG", "jpg"), "image/heif": ("JPEG", "jpg")}  # fmt: skip
pillow_heif.register_heif_opener()


def without_metadata(checked: CheckedPhoto) -> tuple[ContentFile, str]:
    """The photo re-encoded from its pixels alone, and its type: EXIF (where it was taken, the phone,
    the owner's name) stays behind. It is turned upright first, since the turn was in the EXIF."""
    checked.upload.seek(0)
    try:
        with Image.open(checked.upload) as image:
            image = ImageOps.exif_transpose(image)
            fmt, ext = _SAVE_AS[checked.content_type]
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format=fmt, **({"quality": 90} if fmt in ("JPEG", "WEBP") else {}))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ValidationError(
            _("“%(name)s” could not be read as a photo.") % {"name": checked.upload.name or "?"}, code="unreadable"
        ) from exc
    name = f"{PurePath(checked.upload.name or 'photo').stem}.{ext}"
    return ContentFile(out.getvalue(), name=name), "image/jpeg" if fmt == "JPEG" else checked.content_type


def check_photos(uploads: Sequence[UploadedFile]) -> list[CheckedPhoto]:
    """Every upload checked; all problems reported together."""
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(
            _("At most %(max)d photos per entry; you chose %(count)d.") % {"max": MAX_PHOTOS, "count": len(uploads)},
            code="too_many",
        )
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(check_photo(upload))
        except ValidationError as exc:
            errors.append(exc)
    if errors:
        raise ValidationError(errors)
    return checked


def photo_response(file, *, filename: str, content_type: str) -> FileResponse:
    """A stored photo's bytes for a signed-in reader, as an attachment that no browser runs anything in
    (diary photos and residents' photos alike). ``file`` is the model's FieldFile; a missing file raises
    FileNotFoundError for the caller's 404."""
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were talked into rendering it, it runs nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
