"""Object storage (S3-compatible: Scaleway, OVHcloud, Clever Cloud Cellar, MinIO, AWS) for
media and personal files when `S3_BUCKET` is set; the local disk otherwise (`make run`).

Nothing in the bucket is public: objects are written with the `private` ACL. Personal files
(prescription attachments, consent scans: the `private` storage) have no URL at all and are
streamed by the views that check who may read them; media (Wagtail images) get signed URLs
valid `S3_SIGNED_URL_SECONDS`; Wagtail documents are streamed by Wagtail's view
(`WAGTAILDOCS_SERVE_METHOD`).
"""

from urllib.parse import urlsplit

from storages.backends.s3 import S3Storage

S3_BACKEND = "storages.backends.s3.S3Storage"
PRIVATE_S3_BACKEND = "config.storage.PrivateS3Storage"


class PrivateS3Storage(S3Storage):
    """Personal files: read through the storage by an entitled view, never by URL."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError(f"{name} : fichier personnel, servi par le portail seulement.")


def s3_storages(env):
    """The `default` and `private` entries of `STORAGES` on the bucket the environment
    names: S3_BUCKET, S3_ENDPOINT_URL (e.g. https://s3.fr-par.scw.cloud), S3_ACCESS_KEY_ID,
    S3_SECRET_ACCESS_KEY, S3_REGION (optional), S3_SIGNED_URL_SECONDS (300). Media under
    `media/`, personal files under `private/`."""
    options = {
        "bucket_name": env.str("S3_BUCKET", default=""),
        "endpoint_url": env.str("S3_ENDPOINT_URL"),
        "access_key": env.str("S3_ACCESS_KEY_ID"),
        "secret_key": env.str("S3_SECRET_ACCESS_KEY"),
        "region_name": env.str("S3_REGION", default=None),
        "addressing_style": "path",  # every provider serves it; signed URLs on one origin
        "signature_version": "s3v4",
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": env.int("S3_SIGNED_URL_SECONDS", default=300),
        "file_overwrite": False,
    }
    return {
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": options | {"location": "media"}},
        "private": {"BACKEND": PRIVATE_S3_BACKEND, "OPTIONS": options | {"location": "private"}},
    }


def origin(url):
    """`scheme://host[:port]` of a URL (str), for the content security policy."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
