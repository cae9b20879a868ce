/**
 * The REST API: authentication, tenant context, controllers by feature. Talks to workflows only
 * through Temporal and the interfaces in the workflows module.
 */
package dev.saturn.api;
