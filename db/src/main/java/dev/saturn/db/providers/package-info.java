/** A company's own model provider settings (base URL, sealed key, default model). */
package dev.saturn.db.providers;
