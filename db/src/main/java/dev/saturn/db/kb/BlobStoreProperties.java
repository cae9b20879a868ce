package dev.saturn.db.kb;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code saturn.kb.blobs}: where uploaded documents are kept.
 *
 * @param store {@code database} (default) or {@code directory}
 * @param dir the directory for {@code directory}; empty means {@code <data-dir>/kb-blobs}
 */
@Validated
@ConfigurationProperties("saturn.kb.blobs")
public record BlobStoreProperties(@DefaultValue("database") String store, Path dir) {}
