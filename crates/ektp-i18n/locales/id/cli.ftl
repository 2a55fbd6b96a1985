# cli: id messages (see ../../README.md).
