/** What more than one kind of activity needs: the bounded pool their slow work runs on, the business metrics. */
package dev.saturn.activities.common;
