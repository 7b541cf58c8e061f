"""Generated protobuf and gRPC modules (see ``make protos``); do not edit."""
