/**
 * The sample shop: the orders API and the services that react to its events (inventory, payment, email, analytics,
 * and the orders service's own receiver), with their event records. Nothing in the relay, the brokers or the
 * receiving machinery imports it. To start your own: delete this package and the catalogue entries marked
 * {@code sample} under {@code receivers.services} in application.yaml, then add your services (README, "Adding a
 * service"). The sample tables come from migrations V2 and V10, which also hold tables the core needs; leave them
 * in place and drop the sample tables in a migration of your own if you want them gone.
 */
package dev.outboxrelay.samples;
