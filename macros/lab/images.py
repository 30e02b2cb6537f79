"""Images for lab engines: ``docker save`` once from the host engine, ``docker load`` per node.

No engine in a lab ever pulls: the tar is cached by image ID under ``IMAGE_CACHE``, so it is
written again only when the host's image changes.
"""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .names import IMAGE_CACHE

IMAGES = ("busybox:latest",)


class ImageError(RuntimeError):
    """An image could not be saved from the host engine or loaded into a lab engine."""


def cached_tar(image: str) -> Path:
    """Path of a ``docker save`` tar of ``image`` from the host engine (``DOCKER_HOST``)."""
    import docker

    try:
        with contextlib.closing(docker.from_env(timeout=120)) as host:
            found = host.images.get(image)
            path = IMAGE_CACHE / f"{found.id.removeprefix('sha256:')}.tar"
            if not path.exists():
                _save(found, image, path)
            return path
    except docker.errors.ImageNotFound as error:
        raise ImageError(
            f"{image} is not on the host engine (scripts/provision.sh builds it)"
        ) from error
    except docker.errors.DockerException as error:
        raise ImageError(f"cannot save {image} from the host engine: {error}") from error


def _save(found: object, image: str, path: Path) -> None:
    """Write the tar atomically (``named=`` keeps the tag: saving by ID would drop it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    try:
        with open(partial, "wb") as out:
            for chunk in found.save(named=image):  # type: ignore[attr-defined]
                out.write(chunk)
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)


def load(docker_hosts: list[str], tars: list[Path]) -> None:
    """``docker load`` every tar into every engine, one thread per engine."""
    import docker

    def load_one(docker_host: str) -> None:
        with contextlib.closing(docker.DockerClient(base_url=docker_host, timeout=120)) as client:
            for tar in tars:
                with open(tar, "rb") as data:
                    try:
                        client.images.load(data)
                    except docker.errors.DockerException as error:
                        raise ImageError(f"loading {tar} into {docker_host}: {error}") from error

    with ThreadPoolExecutor(max_workers=max(1, len(docker_hosts))) as pool:
        list(pool.map(load_one, docker_hosts))


def prune(keep: list[Path]) -> None:
    """Delete cached tars of images that are no longer the host's (open readers are unharmed)."""
    for tar in IMAGE_CACHE.glob("*.tar"):
        if tar not in keep:
            tar.unlink(missing_ok=True)
