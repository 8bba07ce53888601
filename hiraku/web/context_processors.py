from django.utils.translation import get_language

from hiraku.conf import setting


def site(request) -> dict:
    english = (get_language() or "ja").startswith("en")
    return {
        "site_title": setting("SITE_TITLE_EN") if english else setting("SITE_TITLE"),
        "city_name": setting("CITY_NAME_EN") if english else setting("CITY_NAME"),
        "city_code": setting("CITY_CODE"),
        "is_english": english,
    }
