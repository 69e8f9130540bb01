package record

// Owner is the one rule of whose record a pull request changes, used by
// posture check and by the review gate alike: a device belongs to the owner
// the base branch registers for it, and a report to the owner of its device
// on the base. Only a device the base does not have yet belongs to the owner
// its proposed file names. Nothing a pull request writes into an existing
// device's file (its owner: field) changes whose it is.
//
// k is Device or Report; device is the device's id (a device file's name, a
// report's device field); proposed is what the pull request's file names (a
// device's owner, a report's reporter); onBase looks a device up on the
// base. registered is false when the base has no such device.
func Owner(k Kind, device, proposed string, onBase func(device string) (owner string, ok bool)) (owner string, registered bool) {
	if o, ok := onBase(device); ok {
		return o, true
	}
	return proposed, false
}
