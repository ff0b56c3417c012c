# Writes house-votes-84.csv exactly as an R user would export it: write.csv's defaults (row names as a first
# column under an empty quoted header "", NA for missing votes, every text quoted).
# Needs R and the mlbench package (Debian: apt-get install -y r-base-core r-cran-mlbench).
#   cd samples/data && Rscript export-house-votes.R
library(mlbench)
data(HouseVotes84)
write.csv(HouseVotes84, "house-votes-84.csv")
