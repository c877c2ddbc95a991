package io.olares.secrets.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.olares.secrets.testing.TestData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Reads Wycheproof vector files from the shared test data (skipping where they are absent). */
public final class Wycheproof {
  private Wycheproof() {}

  /** One test case with the group it belongs to. */
  public record Case(JsonNode group, JsonNode test) {
    /** The case's hex field as bytes. */
    public byte[] hex(String field) {
      return HexFormat.of().parseHex(test.get(field).asText());
    }

    /** True for {@code "result": "valid"}; "acceptable" cases count as valid. */
    public boolean valid() {
      return !"invalid".equals(test.get("result").asText());
    }

    /** The case id and comment, for assertion messages. */
    public String label() {
      return "tcId " + test.get("tcId").asInt() + " (" + test.get("comment").asText() + ")";
    }
  }

  /** Every case of {@code wycheproof/<file>}. */
  public static List<Case> cases(String file) throws IOException {
    Path path = TestData.require("wycheproof/" + file);
    JsonNode root = new ObjectMapper().readTree(path.toFile());
    List<Case> out = new ArrayList<>();
    for (JsonNode group : root.get("testGroups")) {
      for (JsonNode test : group.get("tests")) {
        out.add(new Case(group, test));
      }
    }
    return out;
  }
}
