package io.olares.secrets.testing;

import io.olares.secrets.Classification;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretMetadata;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.Capability;
import io.olares.secrets.spi.ChangeListener;
import io.olares.secrets.spi.ResourceInfo;
import io.olares.secrets.spi.SecretInfo;
import io.olares.secrets.spi.SecretStore;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store over a {@link MemoryStore} with one deliberate flaw, to prove that the conformance kit
 * notices each kind of misbehaviour it claims to check.
 */
final class FlawedStore implements SecretStore {

  private static final String CANARY = "aStoredValueAppearsInNoMessageStringOrLog";

  /** One way a store can go wrong, and the kit test that must catch it. */
  enum Flaw {
    NONE(null),
    LOGS_VALUE_THROUGH_SLF4J(CANARY, "what was logged"),
    LOGS_VALUE_HEX_THROUGH_JUL(CANARY, "what was logged"),
    PRINTS_VALUE_BASE64(CANARY, "what was logged"),
    PUTS_VALUE_IN_AN_EXCEPTION(CANARY, "what the store returned or threw"),
    PUTS_VALUE_IN_METADATA(CANARY, "what the store returned or threw"),
    KEEPS_TEXT_ONLY("everyByteValueComesBackExactly"),
    NORMALIZES_TEXT("textInManyScriptsComesBackByteForByte"),
    DROPS_EMPTY_VALUES("anEmptyValueReadsAsPresentAndEmpty"),
    TRUNCATES_AT_64_KIB("aLargeValueComesBackExactly"),
    KEEPS_THE_FIRST_WRITE("overwritingReplacesTheWholeValue"),
    ALWAYS_REPORTS_A_DELETE("deletingASecretThatDoesNotExistReturnsFalse"),
    DELETES_THE_WHOLE_CONTAINER("aDeletedSecretReadsAsEmptyAndItsNeighbourStays"),
    LISTS_BY_STRING_PREFIX("listingAPrefixShowsWhatLiesBelowItAndNothingElse"),
    SHARES_THE_CALLERS_VALUE("wipingTheCallersCopiesLeavesTheStoredValueIntact"),
    MISCLASSIFIES_READS("aReadSecretHasTheClassificationDescribeGives"),
    IGNORES_THE_VERSION("anOlderVersionStaysReadableByItsVersion"),
    NEVER_NOTIFIES("aWatcherHearsOfWritesAndDeletes"),
    DECLARES_READ_ONLY("theDeclaredCapabilitiesIncludeWhatTheStoreDoes"),
    APPENDS_TO_THE_PREVIOUS_VALUE("concurrentOverwritesOfOneSecretLeaveOneWholeValue"),
    FORGETS_EVERY_SECOND_WRITE("concurrentWritersOfDistinctSecretsLoseNothing");

    final String caughtBy;
    final String failureMentions;

    Flaw(String caughtBy) {
      this(caughtBy, "");
    }

    Flaw(String caughtBy, String failureMentions) {
      this.caughtBy = caughtBy;
      this.failureMentions = failureMentions;
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(FlawedStore.class);
  private static final java.util.logging.Logger JUL =
      java.util.logging.Logger.getLogger(FlawedStore.class.getName());

  private final MemoryStore inner;
  private final Flaw flaw;
  private final Map<SecretRef, SecretValue> shared = new ConcurrentHashMap<>();
  private final Map<String, Integer> writes = new ConcurrentHashMap<>();
  private volatile byte[] lastWritten = new byte[0];

  FlawedStore(String name, Flaw flaw) {
    this.inner = MemoryStore.create(name);
    this.flaw = flaw;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public String type() {
    return "flawed";
  }

  @Override
  public Set<Capability> capabilities() {
    return flaw == Flaw.DECLARES_READ_ONLY ? Set.of(Capability.READ) : inner.capabilities();
  }

  @Override
  public ResourceInfo describe(SecretRef ref, String app) {
    return inner.describe(ref, app);
  }

  @Override
  public Optional<Secret> read(SecretRef ref, AccessContext context) {
    if (!ref.store().equals(name()) && flaw == Flaw.PUTS_VALUE_IN_AN_EXCEPTION) {
      throw new InvalidReferenceException(
          "no store '" + ref.store() + "'; last written " + base64Shifted(lastWritten));
    }
    if (flaw == Flaw.SHARES_THE_CALLERS_VALUE && shared.containsKey(ref)) {
      return Optional.of(
          new Secret(ref, Classification.CREDENTIAL, shared.get(ref), SecretMetadata.EMPTY));
    }
    SecretRef asked = flaw == Flaw.IGNORES_THE_VERSION ? ref.withVersion(null) : ref;
    Optional<Secret> found = inner.read(asked, context);
    if (found.isEmpty()) {
      return found;
    }
    Secret secret = found.get();
    if (flaw == Flaw.DROPS_EMPTY_VALUES && secret.value().length() == 0) {
      secret.close();
      return Optional.empty();
    }
    if (flaw == Flaw.MISCLASSIFIES_READS) {
      return Optional.of(
          new Secret(ref, Classification.POD_SECRET, secret.value(), secret.metadata()));
    }
    if (flaw == Flaw.PUTS_VALUE_IN_METADATA) {
      Map<String, String> labels = Map.of("checksum", secret.value().revealString());
      SecretMetadata m = secret.metadata();
      return Optional.of(
          new Secret(
              ref,
              secret.classification(),
              secret.value(),
              new SecretMetadata(m.version(), m.created(), m.updated(), m.expires(), labels)));
    }
    return found;
  }

  @Override
  public void write(SecretRef ref, SecretValue value, AccessContext context) {
    byte[] bytes = value.revealBytes();
    lastWritten = bytes.clone();
    switch (flaw) {
      case LOGS_VALUE_THROUGH_SLF4J:
        LOG.debug("writing {} = {}", ref, value.revealString());
        break;
      case LOGS_VALUE_HEX_THROUGH_JUL:
        JUL.fine("writing " + ref + " = " + HexFormat.of().formatHex(bytes));
        break;
      case PRINTS_VALUE_BASE64:
        System.out.println("debug: " + Base64.getEncoder().encodeToString(bytes));
        break;
      case KEEPS_TEXT_ONLY:
        bytes = new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        break;
      case NORMALIZES_TEXT:
        bytes =
            Normalizer.normalize(new String(bytes, StandardCharsets.UTF_8), Normalizer.Form.NFC)
                .getBytes(StandardCharsets.UTF_8);
        break;
      case TRUNCATES_AT_64_KIB:
        bytes = Arrays.copyOf(bytes, Math.min(bytes.length, 65536));
        break;
      case KEEPS_THE_FIRST_WRITE:
        if (inner.read(ref, context).isPresent()) {
          return;
        }
        break;
      case SHARES_THE_CALLERS_VALUE:
        shared.put(ref, value);
        break;
      case APPENDS_TO_THE_PREVIOUS_VALUE:
        byte[] previous =
            inner.read(ref, context).map(p -> p.value().revealBytes()).orElse(new byte[0]);
        byte[] joined = Arrays.copyOf(previous, previous.length + bytes.length);
        System.arraycopy(bytes, 0, joined, previous.length, bytes.length);
        bytes = joined;
        break;
      case FORGETS_EVERY_SECOND_WRITE:
        if (writes.merge(ref.container(), 1, Integer::sum) % 2 == 0) {
          return;
        }
        break;
      default:
        break;
    }
    inner.write(ref, SecretValue.adopt(bytes), context);
  }

  @Override
  public boolean delete(SecretRef ref, AccessContext context) {
    if (flaw == Flaw.ALWAYS_REPORTS_A_DELETE) {
      inner.delete(ref, context);
      return true;
    }
    if (flaw == Flaw.DELETES_THE_WHOLE_CONTAINER) {
      SecretRef container = SecretRef.of(ref.store(), ref.container(), List.of(), null, null);
      boolean any = false;
      for (SecretInfo info : inner.list(container, context)) {
        any |= inner.delete(info.ref(), context);
      }
      return any;
    }
    return inner.delete(ref, context);
  }

  @Override
  public List<SecretInfo> list(SecretRef prefix, AccessContext context) {
    if (flaw == Flaw.LISTS_BY_STRING_PREFIX) {
      SecretRef container = SecretRef.of(prefix.store(), prefix.container(), List.of(), null, null);
      return inner.list(container, context).stream()
          .filter(info -> info.ref().toString().startsWith(prefix.toString()))
          .toList();
    }
    return inner.list(prefix, context);
  }

  @Override
  public Optional<AutoCloseable> watch(ChangeListener listener) {
    if (flaw == Flaw.NEVER_NOTIFIES) {
      return Optional.of(() -> {});
    }
    return inner.watch(listener);
  }

  @Override
  public void close() {
    inner.close();
  }

  private static String base64Shifted(byte[] bytes) {
    byte[] shifted = new byte[bytes.length + 1];
    shifted[0] = '>';
    System.arraycopy(bytes, 0, shifted, 1, bytes.length);
    return Base64.getUrlEncoder().encodeToString(shifted);
  }
}
