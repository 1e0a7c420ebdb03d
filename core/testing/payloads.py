"""What tests send rather than store: a valid diary API body, uploads, and file bytes of each kind.

They sit beside the factories because tests use them together; none is a row.
"""

import io

import pillow_heif
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image


def image_bytes(fmt: str, *, exif: Image.Exif | None = None, size=(8, 6)) -> bytes:
    """A small real picture in ``fmt`` (photos are decoded and re-encoded on upload), with ``exif`` if given."""
    out = io.BytesIO()
    picture = Image.new("RGB", size, (200, 120, 40))
    if fmt == "HEIF":
        pillow_heif.from_pillow(picture).save(out, quality=50)
    else:
        picture.save(out, format=fmt, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


JPEG = image_bytes("JPEG")
PNG = image_bytes("PNG")
WEBP = image_bytes("WEBP")
HEIC = image_bytes("HEIF")
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><script>alert(1)</script></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def photo(name="p.jpg", data=JPEG, content_type="image/jpeg"):
    """An uploaded file, as a browser sends one."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def payload(cast, **changes) -> dict:
    """A valid diary API body of the cast's officer: two visits and two issues, the second solved on the spot."""
    body = {
        "station": cast.village.pk,
        "visit_date": timezone.localdate().isoformat(),
        "visit_type": "household",
        "content": "走访东溪村农户，了解春耕用水和村道修缮情况，村民反映村口道路坑洼、灌溉渠堵塞。",
        "location": {"lat": 29.6, "lng": 120.8},
        "visits": [
            {"kind": "household", "name": "张大伯", "phone": "13812345678", "address": "东溪村3组"},
            {"kind": "enterprise", "name": "清溪纺织", "phone": "0575-83012345", "address": ""},
        ],
        "issues": [
            {"title": "村口道路坑洼", "description": "雨天积水，出行不便", "category": "infra.road",
             "urgency": "normal", "reporter_name": "张大伯", "reporter_phone": "13812345678",
             "solved_on_site": False},
            {"title": "灌溉渠堵塞", "description": "渠道被杂物堵住", "category": "agri.irrigation",
             "urgency": "urgent", "reporter_name": "李阿姨", "reporter_phone": "13900001111",
             "solved_on_site": True, "resolution": "当场组织村民清理", "feedback": "已告知渠道已疏通",
             "satisfaction": "satisfied"},
        ],
    }  # fmt: skip
    body.update(changes)
    return body
