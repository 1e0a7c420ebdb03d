import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from core.testing.payloads import EXE, HEIC, HTML, JPEG, PNG, SVG, WEBP, image_bytes, photo
from diaries.photos import MAX_BYTES, check_photo, check_photos, sniff


@pytest.mark.parametrize(
    "data, expected",
    [(JPEG, "image/jpeg"), (PNG, "image/png"), (WEBP, "image/webp"), (HEIC, "image/heic"),
     (b"\x00\x00\x00\x1cftypmif1" + b"\x00" * 20, "image/heif"),
     (SVG, None), (HTML, None), (EXE, None), (b"\x7fELF" + b"\x00" * 40, None), (b"", None),
     (b"\x00\x00\x00\x18ftypisom" + b"\x00" * 20, None)],
)  # fmt: skip
def test_type_is_read_from_the_content(data, expected):
    assert sniff(data[:32]) == expected


def test_a_renamed_page_or_program_is_refused_whatever_its_name_says():
    for data in (SVG, HTML, EXE):
        with pytest.raises(ValidationError) as caught:
            check_photo(photo("holiday.jpg", data, "image/jpeg"))
        assert "holiday.jpg" in caught.value.messages[0]
    assert check_photo(photo("photo.txt", PNG, "text/plain")).content_type == "image/png"


def test_size_limit():
    big = photo("big.jpg", JPEG + b"\x00" * (MAX_BYTES - len(JPEG) + 1))
    with pytest.raises(ValidationError) as caught:
        check_photo(big)
    assert caught.value.code == "too_big"
    assert check_photo(photo("ok.jpg", JPEG + b"\x00" * (MAX_BYTES - len(JPEG)))).content_type == "image/jpeg"


def test_count_limit_and_every_problem_reported():
    with pytest.raises(ValidationError) as caught:
        check_photos([photo(f"{i}.jpg") for i in range(10)])
    assert caught.value.messages == ["每篇日记最多 9 张照片，您选了 10 张。"]
    assert len(check_photos([photo(f"{i}.jpg") for i in range(9)])) == 9
    with pytest.raises(ValidationError) as caught:
        check_photos([photo("a.svg", SVG), photo("b.jpg"), photo("c.html", HTML)])
    assert len(caught.value.messages) == 2


def _stored(checked) -> Image.Image:
    checked.upload.seek(0)
    return Image.open(io.BytesIO(checked.upload.read()))


def test_where_and_with_what_a_photo_was_taken_is_not_kept():
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x013B] = "HUAWEI", "P60 Pro", "张大伯"  # make, model, artist
    exif[0x0112] = 6  # "turn 90° to show upright"
    exif.get_ifd(0x8825).update({1: "N", 2: (29.0, 36.0, 0.0), 3: "E", 4: (120.0, 49.0, 0.0)})  # GPS
    taken = image_bytes("JPEG", exif=exif, size=(8, 6))
    assert b"HUAWEI" in taken
    checked = check_photo(photo("IMG_0001.jpg", taken))
    stored = _stored(checked)
    assert not stored.getexif() and "exif" not in stored.info
    assert stored.size == (6, 8)  # turned upright before the turn was dropped with the rest
    checked.upload.seek(0)
    assert b"HUAWEI" not in checked.upload.read()


def test_an_iphone_heic_is_kept_as_jpeg_every_browser_shows():
    checked = check_photo(photo("IMG_0002.HEIC", HEIC, "image/heic"))
    assert checked.content_type == "image/jpeg" and checked.upload.name == "IMG_0002.jpg"
    assert _stored(checked).format == "JPEG"


def test_a_photo_that_only_starts_like_one_is_refused():
    with pytest.raises(ValidationError) as caught:
        check_photo(photo("broken.jpg", JPEG[:40]))
    assert caught.value.code == "unreadable" and "broken.jpg" in caught.value.messages[0]
