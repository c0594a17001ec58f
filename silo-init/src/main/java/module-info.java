/** The silo-init helper: plan format, its launcher and the JNI spawn stub. */
module dev.silo.init {
  requires static org.jspecify;
  requires transitive dev.silo.linux;

  exports dev.silo.init;
}
