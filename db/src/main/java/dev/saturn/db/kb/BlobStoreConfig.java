package dev.saturn.db.kb;

import java.nio.file.Path;
import java.time.Clock;
import org.jooq.DSLContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BlobStoreProperties.class)
class BlobStoreConfig {

  @Bean
  BlobStore blobStore(BlobStoreProperties properties, DSLContext db, Clock clock,
      @Value("${saturn.data-dir:}") String dataDir) {
    switch (properties.store()) {
      case "database":
        return new DatabaseBlobStore(db, clock);
      case "directory":
        Path dir = properties.dir() != null && !properties.dir().toString().isBlank()
            ? properties.dir()
            : Path.of(dataDir.isBlank() ? "./data" : dataDir).resolve("kb-blobs");
        return new DirectoryBlobStore(dir);
      default:
        throw new IllegalStateException("saturn.kb.blobs.store must be 'database' or 'directory', not '"
            + properties.store() + "'");
    }
  }
}
