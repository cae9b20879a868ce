/** What more than one kind of activity needs: the bounded pool their slow work runs on, and HTTP clients pinned to the address the SSRF guard checked. */
package dev.saturn.activities.common;
