"""LLB capability IDs recorded in ``OpMetadata.caps`` (BuildKit validates each one).

Owned step: ``frontend.llb``. The strings are BuildKit's wire values (including its
historic typo in :data:`SOURCE_HTTP_UIDGID`); never invent new ones here.
"""

from __future__ import annotations

SOURCE_IMAGE = "source.image"
SOURCE_IMAGE_RESOLVE_MODE = "source.image.resolvemode"
SOURCE_IMAGE_LAYER_LIMIT = "source.image.layerlimit"

SOURCE_LOCAL = "source.local"
SOURCE_LOCAL_UNIQUE = "source.local.unique"
SOURCE_LOCAL_SESSION_ID = "source.local.sessionid"
SOURCE_LOCAL_INCLUDE_PATTERNS = "source.local.includepatterns"
SOURCE_LOCAL_FOLLOW_PATHS = "source.local.followpaths"
SOURCE_LOCAL_EXCLUDE_PATTERNS = "source.local.excludepatterns"
SOURCE_LOCAL_SHARED_KEY_HINT = "source.local.sharedkeyhint"
SOURCE_LOCAL_DIFFER = "source.local.differ"

SOURCE_GIT = "source.git"
SOURCE_GIT_KEEP_DIR = "source.git.keepgitdir"
SOURCE_GIT_FULL_URL = "source.git.fullurl"
SOURCE_GIT_HTTP_AUTH = "source.git.httpauth"
SOURCE_GIT_KNOWN_SSH_HOSTS = "source.git.knownsshhosts"
SOURCE_GIT_MOUNT_SSH_SOCK = "source.git.mountsshsock"
SOURCE_GIT_CHECKSUM = "source.git.checksum"
SOURCE_GIT_SKIP_SUBMODULES = "source.git.skipsubmodules"
SOURCE_GIT_MTIME = "source.git.mtime"
SOURCE_GIT_FETCH_BY_COMMIT = "source.git.fetchbycommit"

SOURCE_HTTP = "source.http"
SOURCE_HTTP_CHECKSUM = "source.http.checksum"
SOURCE_HTTP_PERM = "source.http.perm"
SOURCE_HTTP_UIDGID = "soruce.http.uidgid"  # sic: BuildKit's spelling

SOURCE_OCI_LAYOUT = "source.ocilayout"

EXEC_META_BASE = "exec.meta.base"
EXEC_META_CGROUP_PARENT = "exec.meta.cgroup.parent"
EXEC_META_NETWORK = "exec.meta.network"
EXEC_META_PROXY = "exec.meta.proxyenv"
EXEC_META_SECURITY = "exec.meta.security"
EXEC_META_SETS_DEFAULT_PATH = "exec.meta.setsdefaultpath"
EXEC_META_ULIMIT = "exec.meta.ulimit"
EXEC_META_REMOVE_MOUNT_STUBS_RECURSIVE = "exec.meta.removemountstubs.recursive"
EXEC_MOUNT_BIND = "exec.mount.bind"
EXEC_MOUNT_CACHE = "exec.mount.cache"
EXEC_MOUNT_CACHE_SHARING = "exec.mount.cache.sharing"
EXEC_MOUNT_SELECTOR = "exec.mount.selector"
EXEC_MOUNT_TMPFS = "exec.mount.tmpfs"
EXEC_MOUNT_TMPFS_SIZE = "exec.mount.tmpfs.size"
EXEC_MOUNT_SECRET = "exec.mount.secret"
EXEC_MOUNT_SSH = "exec.mount.ssh"
EXEC_MOUNT_CONTENT_CACHE = "exec.mount.cache.content"
EXEC_SECRET_ENV = "exec.secretenv"
EXEC_VALID_EXIT_CODE = "exec.validexitcode"

FILE_BASE = "file.base"
FILE_RM_WILDCARD = "file.rm.wildcard"
FILE_COPY_INCLUDE_EXCLUDE_PATTERNS = "file.copy.includeexcludepatterns"
FILE_COPY_ALWAYS_REPLACE_EXISTING_DEST_PATHS = "file.copy.alwaysreplaceexistingdestpaths"
FILE_COPY_MODE_STRING = "file.copy.modestring"
FILE_SYMLINK_CREATE = "file.symlink.create"

CONSTRAINTS = "constraints"
PLATFORM = "platform"

META_IGNORE_CACHE = "meta.ignorecache"
META_DESCRIPTION = "meta.description"
META_EXPORT_CACHE = "meta.exportcache"

MERGE_OP = "mergeop"
DIFF_OP = "diffop"


ALL: frozenset[str] = frozenset(
    {
        "cache.azblob",
        "cache.gha",
        "cache.s3",
        "constraints",
        "diffop",
        "exec.cgroup",
        "exec.meta.base",
        "exec.meta.cdi",
        "exec.meta.cgroup.parent",
        "exec.meta.linux.resources",
        "exec.meta.network",
        "exec.meta.network.proxy",
        "exec.meta.proxyenv",
        "exec.meta.removemountstubs.recursive",
        "exec.meta.security",
        "exec.meta.security.devices.v1",
        "exec.meta.setsdefaultpath",
        "exec.meta.ulimit",
        "exec.mount.bind",
        "exec.mount.bind.readwrite-nooutput",
        "exec.mount.cache",
        "exec.mount.cache.content",
        "exec.mount.cache.sharing",
        "exec.mount.secret",
        "exec.mount.selector",
        "exec.mount.ssh",
        "exec.mount.tmpfs",
        "exec.mount.tmpfs.size",
        "exec.secretenv",
        "exec.validexitcode",
        "exporter.image.annotations",
        "exporter.image.attestations",
        "exporter.multiple",
        "exporter.session",
        "exporter.sourcedateepoch",
        "file.base",
        "file.copy.alwaysreplaceexistingdestpaths",
        "file.copy.includeexcludepatterns",
        "file.copy.modestring",
        "file.copy.requiredpaths",
        "file.rm.nofollowsymlink",
        "file.rm.wildcard",
        "file.symlink.create",
        "gc.freespacefilter",
        "history.filter",
        "mergeop",
        "meta.description",
        "meta.exportcache",
        "meta.ignorecache",
        "passthroughop",
        "platform",
        "soruce.http.uidgid",
        "source.buildop.llbfilename",
        "source.git",
        "source.git.bundle",
        "source.git.checkoutbundle",
        "source.git.checksum",
        "source.git.fetchbycommit",
        "source.git.fullurl",
        "source.git.httpauth",
        "source.git.keepgitdir",
        "source.git.knownsshhosts",
        "source.git.mountsshsock",
        "source.git.mtime",
        "source.git.signatureverify",
        "source.git.skipsubmodules",
        "source.git.subdir",
        "source.http",
        "source.http.auth",
        "source.http.checksum",
        "source.http.header",
        "source.http.perm",
        "source.http.signatureverify",
        "source.image",
        "source.image.checksum",
        "source.image.layerlimit",
        "source.image.resolvemode",
        "source.imageblob",
        "source.local",
        "source.local.differ",
        "source.local.excludepatterns",
        "source.local.followpaths",
        "source.local.includepatterns",
        "source.local.metadatatransfer",
        "source.local.sessionid",
        "source.local.sharedkeyhint",
        "source.local.unique",
        "source.ocilayout",
        "source.policy",
        "source.policy.session",
    }
)
"""Every LLB cap BuildKit v0.32 defines (``pb.Caps.All()``): the set the reference's
converter assumes when it runs without a daemon, as ``pyfrontend llb`` does by default."""
