"""The reference's op bytes, built independently of ``frontend.llb.marshal``.

Go's marshaller writes ``Op``'s plain fields (inputs, platform, constraints) before its
oneof body; protobuf messages concatenate, so the two halves serialised apart and joined
are those bytes.
"""

from __future__ import annotations

import hashlib

from frontend.pb import ops_pb2


def go_bytes(op: ops_pb2.Op) -> bytes:
    head = ops_pb2.Op()
    head.inputs.extend(op.inputs)
    if op.HasField("platform"):
        head.platform.CopyFrom(op.platform)
    if op.HasField("constraints"):
        head.constraints.CopyFrom(op.constraints)
    body = ops_pb2.Op()
    which = op.WhichOneof("op")
    if which is not None:
        getattr(body, which).CopyFrom(getattr(op, which))
    return head.SerializeToString(deterministic=True) + body.SerializeToString(deterministic=True)


def dig(op: ops_pb2.Op) -> str:
    return "sha256:" + hashlib.sha256(go_bytes(op)).hexdigest()
