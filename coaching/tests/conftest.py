import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded files of each test go to a fresh directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
