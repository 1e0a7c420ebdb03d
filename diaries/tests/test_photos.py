import pytest
from django.core.exceptions import ValidationError

from core.testing.payloads import EXE, HEIC, HTML, JPEG, PNG, SVG, WEBP, photo
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
