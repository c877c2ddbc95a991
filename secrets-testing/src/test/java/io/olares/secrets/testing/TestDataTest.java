package io.olares.secrets.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class TestDataTest {
  @TempDir Path folder;
  private String saved;

  @BeforeEach
  void pointThePropertyAtATemporaryFolder() throws Exception {
    saved = System.getProperty(TestData.PROPERTY);
    Files.createDirectories(folder.resolve("bip39"));
    Files.writeString(folder.resolve("bip39/english.txt"), "abandon\n");
    System.setProperty(TestData.PROPERTY, folder.toString());
  }

  @AfterEach
  void restoreTheProperty() {
    if (saved == null) {
      System.clearProperty(TestData.PROPERTY);
    } else {
      System.setProperty(TestData.PROPERTY, saved);
    }
  }

  @Test
  void dirIsTheFolderTheSystemPropertyNames() {
    assertThat(TestData.dir()).isEqualTo(folder.toAbsolutePath().normalize());
  }

  @Test
  void requireResolvesAPartThatExists() {
    assertThat(TestData.require("bip39/english.txt")).hasContent("abandon");
  }

  @Test
  void requireSkipsTheTestNamingAMissingPart() {
    assertThatThrownBy(() -> TestData.require("wycheproof/none.json"))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("none.json")
        .hasMessageContaining("does not exist");
  }

  @Test
  void anUnsetPropertySkipsTheTestNamingTheProperty() {
    System.clearProperty(TestData.PROPERTY);

    assertThatThrownBy(TestData::dir)
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("olares.shared.testdata is not set");
  }

  @Test
  void aMissingFolderSkipsTheTestNamingTheFolder() {
    System.setProperty(TestData.PROPERTY, folder.resolve("absent").toString());

    assertThatThrownBy(TestData::dir)
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("absent")
        .hasMessageContaining("does not exist");
  }

  @Test
  void aPartOutsideTheFolderIsRefused() {
    assertThatThrownBy(() -> TestData.require("../elsewhere"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leaves the test data folder");
  }

  @Test
  void theBuildPointsThePropertyAtTheSharedTestData() {
    restoreTheProperty();

    Path shared = TestData.require("README.md");

    assertThat(shared.getParent()).isEqualTo(TestData.dir());
  }
}
