/** Real services without Docker: a Kafka broker (KRaft) and PostgreSQL, in-process for tests, as processes locally. */
package dev.flinkpatterns.services;
