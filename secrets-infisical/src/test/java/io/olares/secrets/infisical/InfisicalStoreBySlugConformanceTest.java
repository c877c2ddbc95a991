package io.olares.secrets.infisical;

/** The Infisical store, with projects named by slug, passes the SPI conformance kit. */
class InfisicalStoreBySlugConformanceTest extends InfisicalStoreConformanceTest {
  @Override
  protected String project() {
    return SLUG;
  }
}
