/**
 * Who may reach the platform from outside and what they did: applications (programs that sign their requests),
 * roles, the access log (every API and shell call) and the system log (what the platform itself did).
 */
@Export
@Version("1.0.0")
package io.thingport.api.access;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
