package dev.saturn.api.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

@Component
class DatabaseProbe implements ReadinessProbe {

  private final DataSource dataSource;

  DatabaseProbe(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public String name() {
    return "database";
  }

  @Override
  public boolean isReady(Duration timeout) {
    try (Connection connection = dataSource.getConnection()) {
      return connection.isValid((int) Math.max(1, timeout.toSeconds()));
    } catch (SQLException e) {
      return false;
    }
  }
}
