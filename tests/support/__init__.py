"""Support shared by the tests and the benchmarks: a real server, a scratch database, a congress."""
