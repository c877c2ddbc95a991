package io.olares.secrets.vault;

import static io.olares.secrets.vault.TestVaults.APP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.IntegrityException;
import io.olares.secrets.Operation;
import io.olares.secrets.SecretValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an attacker with write access to the storage achieves by editing rows: every read either
 * fails with {@link IntegrityException} or returns exactly what was stored; never another value.
 */
class VaultTamperTest {
  private static final int FLIPS = 1200;
  private static final int ITEMS = 24;

  /** Every column a read depends on, with the column that identifies its row. */
  private static final Map<String, List<String>> COLUMNS = new LinkedHashMap<>();

  static {
    COLUMNS.put(
        "items",
        List.of(
            "item_id",
            "name_index",
            "bucket",
            "version",
            "classification",
            "created_at",
            "updated_at",
            "name_nonce",
            "name_ct",
            "value_nonce",
            "value_ct"));
    COLUMNS.put("buckets", List.of("bucket", "counter", "digest", "mac"));
    COLUMNS.put(
        "vault_header",
        List.of(
            "vault_id",
            "format",
            "kdf_algorithm",
            "kdf_version",
            "kdf_memory_kib",
            "kdf_iterations",
            "kdf_parallelism",
            "kdf_salt",
            "key_generation",
            "wrapped_key",
            "rotation_proof",
            "trust_revision",
            "trusted_dids",
            "created_at",
            "updated_at",
            "header_mac"));
  }

  private static final Map<String, String> KEYS =
      Map.of("items", "item_id", "buckets", "bucket", "vault_header", "id");

  private enum Outcome {
    EXACT,
    INTEGRITY_FAILURE
  }

  @TempDir Path dir;
  TestVaults.Fixture f;
  Map<String, byte[]> stored = new LinkedHashMap<>();
  Map<String, byte[]> ids = new LinkedHashMap<>();
  Connection attacker;

  @BeforeEach
  void fillVault() throws SQLException {
    f = TestVaults.Fixture.create(dir);
    Random random = new Random(7);
    for (int i = 0; i < ITEMS; i++) {
      byte[] value = new byte[1 + random.nextInt(300)];
      random.nextBytes(value);
      String name = "tamper/item-" + i;
      try (SecretValue v = SecretValue.ofBytes(value)) {
        f.vault.putField(name, null, v, ItemKind.values()[i % 4]);
      }
      f.clock.advance(java.time.Duration.ofSeconds(1));
      stored.put(name, value);
    }
    // a second version of a few items, so that older rows exist
    for (int i = 0; i < 4; i++) {
      String name = "tamper/item-" + i;
      byte[] value = ("second version " + i).getBytes(StandardCharsets.UTF_8);
      try (SecretValue v = SecretValue.ofBytes(value)) {
        f.vault.putField(name, null, v);
      }
      stored.put(name, value);
    }
    for (String name : stored.keySet()) {
      String subject = f.vault.approvalRequest(name, Operation.READ, APP).subject();
      ids.put(name, java.util.HexFormat.of().parseHex(subject));
    }
    attacker = DriverManager.getConnection(f.url);
  }

  @AfterEach
  void close() throws SQLException {
    attacker.close();
    f.close();
  }

  @Test
  void randomByteFlipsInEveryColumnNeverProduceAWrongValue() throws Exception {
    flipAndCheck(FLIPS, 20260520);
  }

  @Test
  @Tag("reliability")
  void tenThousandRandomByteFlipsNeverProduceAWrongValue() throws Exception {
    flipAndCheck(10_000, 20260521);
  }

  private void flipAndCheck(int flips, long seed) throws Exception {
    Random random = new Random(seed);
    Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    Map<String, Integer> flipsPerColumn = new HashMap<>();
    List<String> names = new ArrayList<>(stored.keySet());

    // Every column is hit first, in turn, so coverage never depends on the random draw; the
    // rest of the flips land at random.
    List<String[]> everyColumn = new ArrayList<>();
    COLUMNS.forEach((t, cs) -> cs.forEach(c -> everyColumn.add(new String[] {t, c})));
    int covered = 0;
    for (int flip = 0; flip < flips; flip++) {
      boolean forced = covered < everyColumn.size();
      String table = forced ? everyColumn.get(covered)[0] : pickTable(random);
      List<String> columns = COLUMNS.get(table);
      String column =
          forced ? everyColumn.get(covered)[1] : columns.get(random.nextInt(columns.size()));
      List<Object> keys = keysOf(table);
      Object key = keys.get(random.nextInt(keys.size()));
      Object original = get(table, key, column);
      Object flipped = flipped(original, random);
      Object newKey = column.equals(KEYS.get(table)) ? flipped : key;
      if (!set(table, key, column, flipped)) {
        continue; // the flip collided with a unique value; nothing changed
      }
      flipsPerColumn.merge(table + "." + column, 1, Integer::sum);
      if (forced) {
        covered++;
      }
      try {
        String target =
            table.equals("items") ? nameOf(key) : names.get(random.nextInt(names.size()));
        for (String name :
            List.of(
                target,
                names.get(random.nextInt(names.size())),
                names.get(random.nextInt(names.size())))) {
          Outcome outcome = readAndJudge(name, table + "." + column + " flip " + flip);
          outcomes.merge(outcome, 1, Integer::sum);
        }
      } finally {
        assertThat(set(table, newKey, column, original)).as("restoring the flip").isTrue();
      }
    }

    int total = flipsPerColumn.values().stream().mapToInt(Integer::intValue).sum();
    assertThat(total).isGreaterThanOrEqualTo(flips * 5 / 6);
    int columnCount = COLUMNS.values().stream().mapToInt(List::size).sum();
    assertThat(flipsPerColumn).as("every column was flipped").hasSize(columnCount);
    assertThat(outcomes.get(Outcome.INTEGRITY_FAILURE)).isPositive();
    assertThat(outcomes.get(Outcome.EXACT)).isPositive();
    for (String name : names) {
      assertThat(readAndJudge(name, "after restoring")).isEqualTo(Outcome.EXACT);
    }
  }

  @Test
  void swappingTheContentsOfTwoItemRowsIsDetected() throws Exception {
    List<String> groups =
        List.of(
            "value_nonce, value_ct",
            "name_nonce, name_ct",
            "name_index, bucket",
            "name_index, bucket, version, classification, created_at, updated_at, name_nonce,"
                + " name_ct, value_nonce, value_ct",
            "version",
            "created_at, updated_at");
    List<String> names = new ArrayList<>(stored.keySet());
    int detected = 0;
    for (String group : groups) {
      for (int pair = 0; pair < 6; pair++) {
        String a = names.get(pair * 2);
        String b = names.get(pair * 2 + 7);
        boolean differ = differ(row("items", itemIdOf(a)), row("items", itemIdOf(b)), group);
        Outcome expected = differ ? Outcome.INTEGRITY_FAILURE : Outcome.EXACT;
        detected += differ ? 1 : 0;
        swap(itemIdOf(a), itemIdOf(b), group);
        try {
          assertThat(readAndJudge(a, "swap " + group)).as(group).isEqualTo(expected);
          assertThat(readAndJudge(b, "swap " + group)).as(group).isEqualTo(expected);
        } finally {
          swap(itemIdOf(a), itemIdOf(b), group);
        }
        assertThat(readAndJudge(a, "swapped back")).isEqualTo(Outcome.EXACT);
      }
    }
    assertThat(detected).as("swaps that changed something, each detected").isGreaterThan(30);
  }

  @Test
  void anOlderRowOfAnItemPutBackIsDetected() throws Exception {
    String name = "tamper/item-10";
    Map<String, Object> old = row("items", itemIdOf(name));
    try (SecretValue v = SecretValue.ofString("newer value")) {
      f.vault.putField(name, null, v);
    }

    restoreRow(old);

    assertThatThrownBy(() -> f.readText(name))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("bucket");
  }

  @Test
  void anOlderRowPutBackWithItsOlderBucketIsDetectedByAProcessThatSawTheNewerOne()
      throws Exception {
    String name = "tamper/item-11";
    Object id = itemIdOf(name);
    Map<String, Object> oldItem = row("items", id);
    Map<String, Object> oldBucket = row("buckets", oldItem.get("bucket"));
    try (SecretValue v = SecretValue.ofString("newer value")) {
      f.vault.putField(name, null, v);
    }
    assertThat(f.readText(name)).isEqualTo("newer value");

    restoreRow(oldItem);
    restoreRow(oldBucket);

    assertThatThrownBy(() -> f.readText(name))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("rolled back");
  }

  @Test
  void aDeletedItemPutBackIsDetected() throws Exception {
    String name = "tamper/item-12";
    Map<String, Object> old = row("items", itemIdOf(name));
    f.vault.delete(name);

    restoreRow(old);

    assertThatThrownBy(() -> f.vault.info(name)).isInstanceOf(IntegrityException.class);
    assertThatThrownBy(() -> f.vault.verifyIntegrity()).isInstanceOf(IntegrityException.class);
  }

  @Test
  void aWriteAfterAnItemWasRemovedBehindTheVaultsBackNeverMakesItsBucketPassAgain()
      throws Exception {
    String name = "tamper/item-5";
    try (PreparedStatement ps = attacker.prepareStatement("DELETE FROM items WHERE item_id = ?")) {
      ps.setObject(1, itemIdOf(name));
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }

    // A write checks its bucket's MAC and counter and changes the digest by the one item it
    // writes; whether it then succeeds or refuses, the removal must stay visible.
    try (SecretValue v = SecretValue.ofString("written after the removal")) {
      try {
        f.vault.putField(name, null, v);
      } catch (IntegrityException refused) {
        // also acceptable
      }
    }
    assertThatThrownBy(() -> f.readText(name)).isInstanceOf(IntegrityException.class);
    assertThatThrownBy(() -> f.vault.verifyIntegrity()).isInstanceOf(IntegrityException.class);
    // Nor can a delete of the item tidy the removal away.
    try {
      f.vault.delete(name);
    } catch (IntegrityException refused) {
      // also acceptable
    }
    assertThatThrownBy(() -> f.vault.verifyIntegrity()).isInstanceOf(IntegrityException.class);
  }

  @Test
  void aForgedNextKeyGenerationIsAnIntegrityFailureNotARotation() throws Exception {
    set("vault_header", 1, "key_generation", 2);

    assertThatThrownBy(() -> f.readText("tamper/item-1")).isInstanceOf(IntegrityException.class);
  }

  // ---------------------------------------------------------------- reading and judging

  private Outcome readAndJudge(String name, String what) {
    try (SecretValue v = f.vault.readField(name, null, APP, f.approve(name, Operation.READ))) {
      assertThat(v.revealBytes())
          .as("%s: %s read a wrong value", what, name)
          .isEqualTo(stored.get(name));
      return Outcome.EXACT;
    } catch (IntegrityException e) {
      assertThat(e.getMessage())
          .doesNotContain(new String(stored.get(name), StandardCharsets.ISO_8859_1));
      return Outcome.INTEGRITY_FAILURE;
    }
  }

  // ---------------------------------------------------------------- the attacker's SQL

  private static String pickTable(Random random) {
    int r = random.nextInt(10);
    return r < 7 ? "items" : r < 9 ? "buckets" : "vault_header";
  }

  private List<Object> keysOf(String table) throws SQLException {
    List<Object> keys = new ArrayList<>();
    try (PreparedStatement ps =
            attacker.prepareStatement("SELECT " + KEYS.get(table) + " FROM " + table);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        keys.add(rs.getObject(1));
      }
    }
    return keys;
  }

  private Object get(String table, Object key, String column) throws SQLException {
    try (PreparedStatement ps =
        attacker.prepareStatement(
            "SELECT " + column + " FROM " + table + " WHERE " + KEYS.get(table) + " = ?")) {
      ps.setObject(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getObject(1);
      }
    }
  }

  private boolean set(String table, Object key, String column, Object value) throws SQLException {
    try (PreparedStatement ps =
        attacker.prepareStatement(
            "UPDATE " + table + " SET " + column + " = ? WHERE " + KEYS.get(table) + " = ?")) {
      ps.setObject(1, value);
      ps.setObject(2, key);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      if (e.getMessage().contains("UNIQUE")) {
        return false;
      }
      throw e;
    }
  }

  private Map<String, Object> row(String table, Object key) throws SQLException {
    try (PreparedStatement ps =
        attacker.prepareStatement(
            "SELECT * FROM " + table + " WHERE " + KEYS.get(table) + " = ?")) {
      ps.setObject(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("#table", table);
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
        }
        return row;
      }
    }
  }

  private void restoreRow(Map<String, Object> row) throws SQLException {
    String table = (String) row.get("#table");
    List<String> columns = new ArrayList<>(row.keySet());
    columns.remove("#table");
    try (PreparedStatement ps =
        attacker.prepareStatement(
            "INSERT OR REPLACE INTO "
                + table
                + " ("
                + String.join(", ", columns)
                + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(columns.size(), "?"))
                + ")")) {
      for (int i = 0; i < columns.size(); i++) {
        ps.setObject(i + 1, row.get(columns.get(i)));
      }
      ps.executeUpdate();
    }
  }

  private static boolean differ(Map<String, Object> a, Map<String, Object> b, String columnList) {
    for (String column : columnList.split(",\\s*")) {
      if (!java.util.Objects.deepEquals(a.get(column), b.get(column))) {
        return true;
      }
    }
    return false;
  }

  private void swap(Object idA, Object idB, String columnList) throws SQLException {
    String[] columns = columnList.split(",\\s*");
    Map<String, Object> a = row("items", idA);
    Map<String, Object> b = row("items", idB);
    // park A's unique blind index out of the way while B takes it
    attacker.createStatement().execute("BEGIN");
    try {
      if (Arrays.asList(columns).contains("name_index")) {
        try (PreparedStatement ps =
            attacker.prepareStatement("UPDATE items SET name_index = ? WHERE item_id = ?")) {
          ps.setBytes(1, new byte[] {0});
          ps.setObject(2, idA);
          ps.executeUpdate();
        }
      }
      update(idB, columns, a);
      update(idA, columns, b);
      attacker.createStatement().execute("COMMIT");
    } catch (SQLException e) {
      attacker.createStatement().execute("ROLLBACK");
      throw e;
    }
  }

  private void update(Object id, String[] columns, Map<String, Object> from) throws SQLException {
    StringBuilder sql = new StringBuilder("UPDATE items SET ");
    for (int i = 0; i < columns.length; i++) {
      sql.append(i == 0 ? "" : ", ").append(columns[i]).append(" = ?");
    }
    sql.append(" WHERE item_id = ?");
    try (PreparedStatement ps = attacker.prepareStatement(sql.toString())) {
      for (int i = 0; i < columns.length; i++) {
        ps.setObject(i + 1, from.get(columns[i]));
      }
      ps.setObject(columns.length + 1, id);
      ps.executeUpdate();
    }
  }

  private Object itemIdOf(String name) {
    return ids.get(name);
  }

  private String nameOf(Object itemId) {
    for (String name : stored.keySet()) {
      if (Arrays.equals((byte[]) itemIdOf(name), (byte[]) itemId)) {
        return name;
      }
    }
    throw new IllegalStateException("no item with that id");
  }

  private static Object flipped(Object value, Random random) {
    if (value instanceof byte[] bytes) {
      byte[] copy = bytes.clone();
      if (copy.length == 0) {
        return new byte[] {(byte) (1 + random.nextInt(255))};
      }
      int i = random.nextInt(copy.length);
      copy[i] ^= (byte) (1 << random.nextInt(8));
      return copy;
    }
    if (value instanceof Integer n) {
      return n ^ (1 << random.nextInt(12));
    }
    if (value instanceof Long n) {
      return n ^ (1L << random.nextInt(40));
    }
    if (value instanceof String text) {
      if (text.isEmpty()) {
        return "x";
      }
      char[] chars = text.toCharArray();
      int i = random.nextInt(chars.length);
      char c = (char) ('!' + random.nextInt(94));
      chars[i] = c == chars[i] ? (char) (c == '~' ? '!' : c + 1) : c;
      return new String(chars);
    }
    throw new IllegalStateException("unexpected column type " + value.getClass());
  }
}
